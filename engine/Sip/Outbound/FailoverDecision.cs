namespace CallTracking.Engine.Sip.Outbound;

/// <summary>What a final response (or its absence) means for the next target.</summary>
public enum FailoverAction
{
    /// <summary>2xx: the call is answered.</summary>
    Answered = 0,
    /// <summary>Try the next target, then the next trunk.</summary>
    TryNext,
    /// <summary>Answer the challenge and send the INVITE again to the same target.</summary>
    Authenticate,
    /// <summary>The destination said no: report it, do not try elsewhere.</summary>
    Fail,
}

/// <summary>
/// The fail-over table of the outbound leg: a time-out, a transport error and 408/480/503/504 say the target or trunk
/// could not complete the call, so another might (RFC 3263 §4.3 for 503 and time-out); 404/486/603 and every other
/// final are the destination's answer, the same through any trunk.
/// </summary>
public static class FailoverDecision
{
    public static FailoverAction ForStatus(int statusCode) => statusCode switch
    {
        >= 200 and < 300 => FailoverAction.Answered,
        401 or 407 => FailoverAction.Authenticate,
        408 or 480 or 503 or 504 => FailoverAction.TryNext,
        _ => FailoverAction.Fail,
    };

    /// <summary>Timer B fired or the transport refused the INVITE.</summary>
    public static FailoverAction ForTimeoutOrTransportError() => FailoverAction.TryNext;
}
