using System.Globalization;
using System.Text.Json;
using CallTracking.Grpc.V1;
using Kinds = CallTracking.Engine.Storage.CallEventKinds;
using Google.Protobuf.WellKnownTypes;

namespace CallTracking.Engine.Events;

/// <summary>
/// Turns a stored event (an <c>events</c> row and its call's number and campaign) into the
/// <c>calltracking.v1.CallEvent</c> message. The typed detail is read from the payload JSON (camelCase, see
/// <c>Storage/EventPayloads.cs</c> and the call controller's ringing/dtmf payloads) leniently: a member that is
/// missing or of another type is left at its default, and a payload that is not a JSON object leaves the detail
/// unset. <c>payload_json</c> always carries the payload as stored.
/// </summary>
public static class CallEventMapper
{
    public static CallEvent ToMessage(long id, string kind, DateTimeOffset occurredAt, Guid organisationId, Guid? callId, string? trackingNumber, Guid? campaignId, string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(payloadJson);
        var message = new CallEvent
        {
            Id = id,
            Kind = kind,
            OccurredAt = Timestamp.FromDateTimeOffset(occurredAt),
            OrganisationId = organisationId.ToString("D"),
            CallId = callId?.ToString("D") ?? string.Empty,
            TrackingNumber = trackingNumber ?? string.Empty,
            CampaignId = campaignId?.ToString("D") ?? string.Empty,
            PayloadJson = payloadJson,
        };

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payloadJson);
        }
        catch (JsonException)
        {
            return message;
        }

        using (document)
        {
            var p = document.RootElement;
            if (p.ValueKind != JsonValueKind.Object)
            {
                return message;
            }

            switch (kind)
            {
                case Kinds.Started:
                    message.Started = new CallStarted
                    {
                        CallerNumber = Text(p, "callerNumber"),
                        CallerName = Text(p, "callerName"),
                        CallerCountry = Text(p, "callerCountry"),
                        CallerRegion = Text(p, "callerRegion"),
                        Trunk = Text(p, "trunk"),
                        TrackingNumberId = Text(p, "trackingNumberId"),
                    };
                    break;
                case Kinds.Ringing:
                    message.Ringing = new CallRinging { LegId = Text(p, "legId"), Destination = Text(p, "destination"), SipStatus = (int)Integer(p, "status") };
                    break;
                case Kinds.Answered:
                    message.Answered = new CallAnswered { AnsweredAt = Time(p, "answeredAt") };
                    break;
                case Kinds.Bridged:
                    message.Bridged = new CallBridged { LegId = Text(p, "legId"), Destination = Text(p, "destination"), AnsweredAt = Time(p, "answeredAt") };
                    break;
                case Kinds.Dtmf:
                    message.Dtmf = new CallDtmf { Digit = Text(p, "digit"), DurationMs = (int)Integer(p, "durationMs") };
                    break;
                case Kinds.RecordingPaused:
                    message.RecordingPaused = new RecordingPaused { Actor = Text(p, "actor") };
                    break;
                case Kinds.RecordingResumed:
                    message.RecordingResumed = new RecordingResumed { Actor = Text(p, "actor") };
                    break;
                case Kinds.Ended:
                    message.Ended = new CallEnded
                    {
                        EndedAt = Time(p, "endedAt"),
                        Disposition = Text(p, "disposition"),
                        HangupBy = Text(p, "hangupBy"),
                        SipReason = Text(p, "sipReason"),
                        RingSeconds = Number(p, "ringSeconds"),
                        TalkSeconds = Number(p, "talkSeconds"),
                    };
                    break;
                case Kinds.RecordingReady:
                    message.RecordingReady = new RecordingReady
                    {
                        RecordingId = Text(p, "recordingId"),
                        DurationMs = Integer(p, "durationMs"),
                        Bytes = Integer(p, "bytes"),
                        Codec = Text(p, "codec"),
                        Channels = (int)Integer(p, "channels"),
                        Error = Text(p, "error"),
                    };
                    break;
                case Kinds.TranscriptReady:
                    message.TranscriptReady = new TranscriptReady
                    {
                        TranscriptId = Text(p, "transcriptId"),
                        RecordingId = Text(p, "recordingId"),
                        Language = Text(p, "language"),
                        Segments = (int)Integer(p, "segments"),
                        DurationMs = Integer(p, "durationMs"),
                    };
                    break;
                case Kinds.Tagged:
                    message.Tagged = new CallTagged
                    {
                        RuleId = Text(p, "ruleId"),
                        Rule = Text(p, "rule"),
                        Tag = Text(p, "tag"),
                        ScoreDelta = (int)Integer(p, "scoreDelta"),
                        Score = (int)Integer(p, "score"),
                        Value = Text(p, "value"),
                        Speaker = Text(p, "speaker"),
                        Matched = Text(p, "matched"),
                    };
                    break;
                case Kinds.TranscriptSegment:
                    message.TranscriptSegment = new LiveTranscriptSegment
                    {
                        Speaker = Text(p, "speaker"),
                        StartMs = Integer(p, "startMs"),
                        EndMs = Integer(p, "endMs"),
                        Text = Text(p, "text"),
                        Confidence = (float)Number(p, "confidence"),
                    };
                    break;
                case Kinds.TranscriptFailed:
                    message.TranscriptFailed = new TranscriptFailed
                    {
                        RecordingId = Text(p, "recordingId"),
                        Reason = Text(p, "reason"),
                        Attempts = (int)Integer(p, "attempts"),
                    };
                    break;
                case Privacy.DataDeletion.EventKind:
                    message.Deleted = new CallDataDeleted
                    {
                        What = Text(p, "what"),
                        DeletedBy = Text(p, "deletedBy"),
                        Reason = Text(p, "reason"),
                    };
                    break;
                case Kinds.Attributed:
                    message.Attributed = new CallAttributed
                    {
                        Confidence = Text(p, "confidence"),
                        SessionId = Text(p, "sessionId"),
                        VisitorId = Text(p, "visitorId"),
                        SourceName = Text(p, "sourceName"),
                        UtmSource = Text(p, "utmSource"),
                        UtmMedium = Text(p, "utmMedium"),
                        UtmCampaign = Text(p, "utmCampaign"),
                        UtmTerm = Text(p, "utmTerm"),
                        UtmContent = Text(p, "utmContent"),
                        LandingPage = Text(p, "landingPage"),
                        Referrer = Text(p, "referrer"),
                        Gclid = Text(p, "gclid"),
                        Gbraid = Text(p, "gbraid"),
                        Wbraid = Text(p, "wbraid"),
                        Msclkid = Text(p, "msclkid"),
                        Fbclid = Text(p, "fbclid"),
                        GaClientId = Text(p, "gaClientId"),
                        GaSessionId = Text(p, "gaSessionId"),
                    };
                    break;
                case Tracking.Dni.DniEventKinds.PoolExhausted:
                    message.PoolExhausted = new PoolExhausted
                    {
                        PoolId = Text(p, "poolId"),
                        Pool = Text(p, "pool"),
                        SiteId = Text(p, "siteId"),
                        SessionId = Text(p, "sessionId"),
                        Numbers = (int)Integer(p, "numbers"),
                        Leased = (int)Integer(p, "leased"),
                        CoolingDown = (int)Integer(p, "coolingDown"),
                        Utilisation = Number(p, "utilisation"),
                        FallbackNumber = Text(p, "fallbackNumber"),
                    };
                    break;
                default:
                    // A kind this version does not type: payload_json only.
                    break;
            }
        }

        return message;
    }

    private static string Text(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;

    private static long Integer(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;

    private static double Number(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) ? number : 0;

    private static Timestamp? Time(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Timestamp.FromDateTimeOffset(time)
            : null;
}
