using System.Text.Json.Serialization;

namespace CallTracking.Engine.Storage;

// The JSON of each event's payload column. Field names are camelCase; absent values are left out.
internal sealed record CallStartedPayload(
    Guid CallId,
    string TrackingNumber,
    Guid? TrackingNumberId,
    Guid? CampaignId,
    string? Trunk,
    string? CallerNumber,
    string? CallerName,
    string? CallerCountry,
    string? CallerRegion,
    DateTimeOffset StartedAt);

internal sealed record CallAnsweredPayload(Guid CallId, DateTimeOffset AnsweredAt);

internal sealed record CallEndedPayload(
    Guid CallId,
    DateTimeOffset EndedAt,
    string Disposition,
    string? HangupBy,
    string? SipReason,
    decimal? RingSeconds,
    decimal? TalkSeconds);

internal sealed record CallBridgedPayload(Guid CallId, Guid LegId, string? Destination, DateTimeOffset? AnsweredAt);

internal sealed record RecordingReadyPayload(
    Guid CallId,
    Guid RecordingId,
    string? Path,
    long? DurationMs,
    long? Bytes,
    string? Codec,
    int? Channels,
    string? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CallStartedPayload))]
[JsonSerializable(typeof(CallAnsweredPayload))]
[JsonSerializable(typeof(CallEndedPayload))]
[JsonSerializable(typeof(CallBridgedPayload))]
[JsonSerializable(typeof(RecordingReadyPayload))]
internal sealed partial class EventPayloadJson : JsonSerializerContext;
