namespace CallTracking.Engine.Sip.Outbound;

public enum OutboundLegState
{
    /// <summary>Resolving targets or waiting for a final response.</summary>
    Calling = 0,
    /// <summary>A 1xx other than 100 arrived.</summary>
    Ringing,
    Answered,
    /// <summary>Failed, cancelled, or hung up.</summary>
    Ended,
}
