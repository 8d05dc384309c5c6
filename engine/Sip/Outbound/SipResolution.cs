namespace CallTracking.Engine.Sip.Outbound;

/// <summary>The ordered targets for a SIP URI (RFC 3263 §4), or why there are none.</summary>
public sealed record SipResolution(IReadOnlyList<SipTarget> Targets, string? Error)
{
    public bool Success => Targets.Count > 0;

    public static SipResolution Failed(string error) => new([], error);
}
