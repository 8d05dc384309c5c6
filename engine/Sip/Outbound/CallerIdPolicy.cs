namespace CallTracking.Engine.Sip.Outbound;

/// <summary>Which number the business sees as the caller.</summary>
public enum CallerIdPolicy
{
    /// <summary>The caller's own number.</summary>
    PassThrough = 0,
    /// <summary>The tracking number the caller dialled (so the business knows which ad rang).</summary>
    TrackingNumber,
}
