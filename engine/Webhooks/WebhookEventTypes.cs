using CallTracking.Engine.Storage;

namespace CallTracking.Engine.Webhooks;

/// <summary>The webhook event types, and which stored event kinds (<c>events.kind</c>) become which.</summary>
public static class WebhookEventTypes
{
    public const string CallStarted = "call.started";
    public const string CallEnded = "call.ended";
    public const string CallAttributed = "call.attributed";
    public const string CallModified = "call.modified";
    public const string ConversionSent = "conversion.sent";

    public static readonly IReadOnlyList<string> All = [CallStarted, CallEnded, CallAttributed, CallModified, ConversionSent];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);

    /// <summary>
    /// The webhook type of a stored event and, for <c>call.modified</c>, what changed (<c>tags</c>, <c>transcript</c>,
    /// <c>score</c>); null for kinds that are not webhooks (ringing, DTMF, ...).
    /// </summary>
    public static (string Type, string? Change)? FromEventKind(string kind) => kind switch
    {
        CallEventKinds.Started => (CallStarted, null),
        CallEventKinds.Ended => (CallEnded, null),
        CallAttributed => (CallAttributed, null),
        CallEventKinds.Tagged => (CallModified, "tags"),
        CallEventKinds.TranscriptReady => (CallModified, "transcript"),
        "call.scored" => (CallModified, "score"),
        CallModified => (CallModified, null),
        ConversionSent => (ConversionSent, null),
        _ => null,
    };
}
