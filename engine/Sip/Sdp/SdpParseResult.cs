namespace CallTracking.Engine.Sip.Sdp;

/// <summary>The outcome of parsing SDP: the description, or why it was refused (with the line number).</summary>
public sealed class SdpParseResult
{
    private SdpParseResult(SessionDescription? description, string? error)
    {
        Description = description;
        Error = error;
    }

    public SessionDescription? Description { get; }

    public string? Error { get; }

    public bool Success => Description is not null;

    internal static SdpParseResult Ok(SessionDescription description) => new(description, null);

    internal static SdpParseResult Fail(string error) => new(null, error);
}
