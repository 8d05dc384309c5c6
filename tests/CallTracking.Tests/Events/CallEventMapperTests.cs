using CallTracking.Engine.Events;
using CallTracking.Grpc.V1;
using Google.Protobuf.WellKnownTypes;

namespace CallTracking.Tests.Events;

/// <summary>Stored event payloads (as CallRecordStore and the call controller write them) become typed CallEvent details.</summary>
public sealed class CallEventMapperTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Organisation = Guid.Parse("0195f0c8-0000-7000-8000-000000000001");
    private static readonly Guid Call = Guid.Parse("0195f0c8-0000-7000-8000-000000000002");
    private static readonly Guid Campaign = Guid.Parse("0195f0c8-0000-7000-8000-000000000003");

    private static CallEvent Map(string kind, string payload) => CallEventMapper.ToMessage(42, kind, At, Organisation, Call, "+15551230001", Campaign, payload);

    [Fact]
    public void The_envelope_carries_id_kind_time_organisation_call_number_campaign_and_the_payload_as_stored()
    {
        const string payload = """{"digit":"5","durationMs":120}""";
        var message = Map("call.dtmf", payload);
        Assert.Equal(42, message.Id);
        Assert.Equal("call.dtmf", message.Kind);
        Assert.Equal(Timestamp.FromDateTimeOffset(At), message.OccurredAt);
        Assert.Equal(Organisation.ToString(), message.OrganisationId);
        Assert.Equal(Call.ToString(), message.CallId);
        Assert.Equal("+15551230001", message.TrackingNumber);
        Assert.Equal(Campaign.ToString(), message.CampaignId);
        Assert.Equal(payload, message.PayloadJson);
        Assert.Equal("5", message.Dtmf.Digit);
        Assert.Equal(120, message.Dtmf.DurationMs);
    }

    [Fact]
    public void Started_ringing_answered_bridged_ended_and_recording_ready_are_typed()
    {
        var started = Map("call.started", """{"callId":"x","trackingNumber":"+15551230001","trackingNumberId":"0195f0c8-0000-7000-8000-000000000009","trunk":"twilio","callerNumber":"+15559990000","callerName":"Ann","callerCountry":"US","callerRegion":"California","startedAt":"2026-03-01T12:00:00+00:00"}""").Started;
        Assert.Equal(("+15559990000", "Ann", "US", "California", "twilio", "0195f0c8-0000-7000-8000-000000000009"), (started.CallerNumber, started.CallerName, started.CallerCountry, started.CallerRegion, started.Trunk, started.TrackingNumberId));

        var ringing = Map("call.ringing", """{"legId":"leg-1","destination":"+15557654321","status":180}""").Ringing;
        Assert.Equal(("leg-1", "+15557654321", 180), (ringing.LegId, ringing.Destination, ringing.SipStatus));

        Assert.Equal(Timestamp.FromDateTimeOffset(At.AddSeconds(4.5)), Map("call.answered", """{"callId":"x","answeredAt":"2026-03-01T12:00:04.5+00:00"}""").Answered.AnsweredAt);

        var bridged = Map("call.bridged", """{"callId":"x","legId":"leg-2","destination":"sip:desk@example.com","answeredAt":"2026-03-01T12:00:06Z"}""").Bridged;
        Assert.Equal(("leg-2", "sip:desk@example.com", Timestamp.FromDateTimeOffset(At.AddSeconds(6))), (bridged.LegId, bridged.Destination, bridged.AnsweredAt));

        var ended = Map("call.ended", """{"callId":"x","endedAt":"2026-03-01T12:01:04.5+00:00","disposition":"answered","hangupBy":"caller","sipReason":"BYE","ringSeconds":4.5,"talkSeconds":60.0}""").Ended;
        Assert.Equal(("answered", "caller", "BYE", 4.5, 60.0), (ended.Disposition, ended.HangupBy, ended.SipReason, ended.RingSeconds, ended.TalkSeconds));
        Assert.Equal(Timestamp.FromDateTimeOffset(At.AddSeconds(64.5)), ended.EndedAt);

        var recording = Map("recording.ready", """{"callId":"x","recordingId":"rec-1","path":"r.opus","durationMs":60000,"bytes":1234,"codec":"opus","channels":2}""").RecordingReady;
        Assert.Equal(("rec-1", 60000L, 1234L, "opus", 2, ""), (recording.RecordingId, recording.DurationMs, recording.Bytes, recording.Codec, recording.Channels, recording.Error));
    }

    [Fact]
    public void Missing_or_mistyped_members_are_defaults_and_an_unparsable_payload_leaves_only_payload_json()
    {
        var ended = Map("call.ended", """{"disposition":7,"ringSeconds":"slow"}""").Ended;
        Assert.Equal(string.Empty, ended.Disposition);
        Assert.Equal(0, ended.RingSeconds);
        Assert.Null(ended.EndedAt);

        var broken = Map("call.ended", "{not json");
        Assert.Equal(CallEvent.DetailOneofCase.None, broken.DetailCase);
        Assert.Equal("{not json", broken.PayloadJson);
        Assert.Equal(CallEvent.DetailOneofCase.None, Map("call.ended", "[1,2]").DetailCase);
    }

    [Fact]
    public void Transcript_ready_and_call_tagged_are_typed_as_the_transcription_workers_write_them()
    {
        var transcript = Map("transcript.ready", """{"callId":"x","transcriptId":"t-1","recordingId":"rec-1","language":"en","segments":7,"durationMs":31500}""").TranscriptReady;
        Assert.Equal(("t-1", "rec-1", "en", 7, 31500L), (transcript.TranscriptId, transcript.RecordingId, transcript.Language, transcript.Segments, transcript.DurationMs));

        var tagged = Map("call.tagged", """{"callId":"x","ruleId":"r-1","rule":"booked","tag":"appointment","scoreDelta":20,"score":35,"value":"150","speaker":"business","matched":"booked an appointment"}""").Tagged;
        Assert.Equal(("r-1", "booked", "appointment", 20, 35, "150", "business", "booked an appointment"), (tagged.RuleId, tagged.Rule, tagged.Tag, tagged.ScoreDelta, tagged.Score, tagged.Value, tagged.Speaker, tagged.Matched));
    }

    [Fact]
    public void Transcript_segment_and_transcript_failed_are_typed_as_live_transcription_and_the_job_queue_write_them()
    {
        var segment = Map("transcript.segment", """{"callId":"x","speaker":"caller","startMs":1800,"endMs":4200,"text":"hello there","confidence":0.8125}""");
        Assert.Equal(CallEvent.DetailOneofCase.TranscriptSegment, segment.DetailCase);
        var live = segment.TranscriptSegment;
        Assert.Equal(("caller", 1800L, 4200L, "hello there", 0.8125f), (live.Speaker, live.StartMs, live.EndMs, live.Text, live.Confidence));

        var failed = Map("transcript.failed", """{"callId":"x","recordingId":"rec-1","reason":"recording file /r/a.opus not found","attempts":5}""");
        Assert.Equal(CallEvent.DetailOneofCase.TranscriptFailed, failed.DetailCase);
        Assert.Equal(("rec-1", "recording file /r/a.opus not found", 5), (failed.TranscriptFailed.RecordingId, failed.TranscriptFailed.Reason, failed.TranscriptFailed.Attempts));
    }

    [Fact]
    public void An_unknown_kind_has_no_detail_but_its_payload_and_an_event_without_call_or_campaign_has_empty_ids()
    {
        var message = CallEventMapper.ToMessage(7, "call.transferred", At, Organisation, null, null, null, """{"to":"x"}""");
        Assert.Equal(CallEvent.DetailOneofCase.None, message.DetailCase);
        Assert.Equal("""{"to":"x"}""", message.PayloadJson);
        Assert.Equal(string.Empty, message.CallId);
        Assert.Equal(string.Empty, message.TrackingNumber);
        Assert.Equal(string.Empty, message.CampaignId);
    }

    [Fact]
    public void Call_attributed_and_pool_exhausted_are_typed_as_number_insertion_writes_them()
    {
        var attributed = Map("call.attributed", """{"callId":"x","confidence":"exact","sessionId":"s-1","visitorId":"v-1","sourceName":"Google Ads","utmSource":"google","utmMedium":"cpc","utmCampaign":"spring","utmTerm":"plumber","utmContent":"ad1","landingPage":"https://shop.example/?gclid=G","referrer":"https://www.google.com/","gclid":"G","gbraid":"GB","wbraid":"WB","msclkid":"M","fbclid":"F","gaClientId":"1.2","gaSessionId":"3"}""").Attributed;
        Assert.Equal(("exact", "s-1", "v-1", "Google Ads"), (attributed.Confidence, attributed.SessionId, attributed.VisitorId, attributed.SourceName));
        Assert.Equal(("google", "cpc", "spring", "plumber", "ad1"), (attributed.UtmSource, attributed.UtmMedium, attributed.UtmCampaign, attributed.UtmTerm, attributed.UtmContent));
        Assert.Equal(("https://shop.example/?gclid=G", "https://www.google.com/"), (attributed.LandingPage, attributed.Referrer));
        Assert.Equal(("G", "GB", "WB", "M", "F", "1.2", "3"), (attributed.Gclid, attributed.Gbraid, attributed.Wbraid, attributed.Msclkid, attributed.Fbclid, attributed.GaClientId, attributed.GaSessionId));

        var exhausted = CallEventMapper.ToMessage(8, "pool.exhausted", At, Organisation, null, null, null,
            """{"poolId":"p-1","pool":"Paid search","siteId":"site-1","sessionId":"s-2","numbers":4,"leased":3,"coolingDown":1,"utilisation":1.0,"fallbackNumber":"+15551230099"}""").PoolExhausted;
        Assert.Equal(("p-1", "Paid search", "site-1", "s-2"), (exhausted.PoolId, exhausted.Pool, exhausted.SiteId, exhausted.SessionId));
        Assert.Equal((4, 3, 1, 1.0, "+15551230099"), (exhausted.Numbers, exhausted.Leased, exhausted.CoolingDown, exhausted.Utilisation, exhausted.FallbackNumber));
    }
}
