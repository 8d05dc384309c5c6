namespace CallTracking.Engine.Sip.Sdp;

/// <summary>
/// The answer to an offer, or the refusal: 488 Not Acceptable Here (RFC 3261 §13.3.1.4)
/// with a reason fit for a Warning header or a log line.
/// </summary>
public sealed class SdpAnswerResult
{
    public const int NotAcceptableHere = 488;

    private SdpAnswerResult(SessionDescription? answer, SdpNegotiatedAudio? audio, string? reason)
    {
        Answer = answer;
        Audio = audio;
        Reason = reason;
    }

    public bool IsAccepted => Answer is not null;

    public SessionDescription? Answer { get; }

    public SdpNegotiatedAudio? Audio { get; }

    /// <summary>200 when accepted, else 488.</summary>
    public int StatusCode => IsAccepted ? 200 : NotAcceptableHere;

    /// <summary>Why the offer was refused; null when accepted.</summary>
    public string? Reason { get; }

    internal static SdpAnswerResult Accepted(SessionDescription answer, SdpNegotiatedAudio audio) => new(answer, audio, null);

    internal static SdpAnswerResult Refused(string reason) => new(null, null, reason);
}
