namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>
/// One upload built for a call: the URL (without credentials: those are added when it is sent, so the outbox and
/// the API never show them) and the JSON body; or, when the call cannot be sent, why (<see cref="NotSent"/>).
/// </summary>
public sealed record ConversionRequest(string? Url, string? Body, string? NotSent)
{
    public static ConversionRequest Rejected(string reason) => new(null, null, reason);
}
