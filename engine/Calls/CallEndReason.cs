namespace CallTracking.Engine.Calls;

/// <summary>Why a call ended; kept with the call and logged, later written to the call record.</summary>
public enum CallEndReason : byte
{
    None = 0,

    /// <summary>The caller sent BYE.</summary>
    CallerHungUp,

    /// <summary>We sent BYE (operator action, shutdown, maximum length).</summary>
    EngineHungUp,

    /// <summary>The caller cancelled before we answered (CANCEL → 487).</summary>
    Cancelled,

    /// <summary>Our 2xx was never acknowledged (RFC 3261 §13.3.1.4): the caller cannot hear us.</summary>
    NoAck,

    /// <summary>The refresher did not refresh the session in time (RFC 4028 §10).</summary>
    SessionExpired,

    /// <summary>A request of ours timed out or could not be sent.</summary>
    TransportFailure,

    /// <summary>The engine stopped while the call was up.</summary>
    Shutdown,

    /// <summary>No RTP arrived for Media:InactivitySeconds: the far end is gone without a BYE.</summary>
    NoMedia,
}
