using System.Text.Json;
using CallTracking.Grpc.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CallTracking.IntegrationTests.Dashboard;

/// <summary>
/// Messages serialised by Google.Protobuf — the implementation the engine's gRPC layer uses — for the
/// dashboard's JavaScript codec tests (Dashboard/node/protobuf.test.mjs), which expect exactly these values.
/// Written as one JSON object of name → hex.
/// </summary>
public static class ProtobufFixtures
{
    private const string CallId = "0b7e5c3a-1111-4222-8333-944455556666";

    public static async Task WriteAsync(string path)
    {
        var fixtures = Build().ToDictionary(pair => pair.Key, pair => Convert.ToHexStringLower(pair.Value));
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(fixtures));
    }

    private static Dictionary<string, byte[]> Build()
    {
        var started = Event(9_007_199_254_740_993, "call.started", At(0, 123));
        started.Started = new CallStarted
        {
            CallerNumber = "+14155550123",
            CallerName = "Zoë Caller – 東京",
            CallerCountry = "US",
            CallerRegion = "California",
            Trunk = "twilio",
            TrackingNumberId = "tn-1",
        };
        started.PayloadJson = """{"caller":"+14155550123"}""";

        var ringing = Event(40, "call.ringing", At(1));
        ringing.Ringing = new CallRinging { LegId = "leg-2", Destination = "sip:desk@10.0.0.5", SipStatus = 180 };
        var answered = Event(43, "call.answered", At(2));
        answered.Answered = new CallAnswered { AnsweredAt = At(2) };
        var bridged = Event(44, "call.bridged", At(5, 500));
        bridged.Bridged = new CallBridged { LegId = "leg-3", Destination = "+14155550199", AnsweredAt = At(5, 500) };
        var dtmf = Event(45, "call.dtmf", At(7));
        dtmf.Dtmf = new CallDtmf { Digit = "#", DurationMs = -5 };
        var ended = Event(42, "call.ended", At(66, 750));
        ended.Ended = new CallEnded { EndedAt = At(66, 750), Disposition = "answered", HangupBy = "caller", RingSeconds = 3.5, TalkSeconds = 61.25 };
        var recording = Event(46, "recording.ready", At(67));
        recording.RecordingReady = new RecordingReady { RecordingId = "rec-1", DurationMs = 61000, Bytes = 5_000_000_000, Codec = "opus", Channels = 2 };
        var segment = Event(48, "transcript.segment", At(9));
        segment.TranscriptSegment = new LiveTranscriptSegment { Speaker = "caller", StartMs = 800, EndMs = 2300, Text = "my sink is leaking", Confidence = 0.8125f };
        var untyped = Event(47, "call.transferred", At(8));
        untyped.PayloadJson = """{"to":"+14155550100"}""";

        var call = new Call
        {
            Id = CallId,
            OrganisationId = "7f1c1f52-6a43-4c8e-9a0a-1b2c3d4e5f60",
            TrackingNumber = "+15551230011",
            TrackingNumberId = "tn-1",
            TrackingNumberName = "Google Ads – landing",
            CampaignId = "c0ffee00-0000-4000-8000-000000000001",
            CampaignName = "Search",
            Trunk = "twilio",
            CallerNumber = "+14155550123",
            CallerName = "Zoë Caller",
            CallerCountry = "US",
            CallerRegion = "California",
            StartedAt = At(0, 123),
            AnsweredAt = At(2),
            EndedAt = At(66, 750),
            RingSeconds = 3.5,
            TalkSeconds = 61.25,
            Disposition = "answered",
            HangupBy = "caller",
            PacketsLost = 17,
            JitterMs = 4.75,
            Mos = 4.21,
            HasRecording = true,
            RecordingDurationMs = 61000,
            SipCallId = "abc@10.0.0.1",
            TwilioCallSid = "CA0123456789abcdef0123456789abcdef",
        };
        call.Legs.Add(new CallLeg { Id = "leg-2", Direction = "outbound", Destination = "sip:desk@10.0.0.5", Trunk = "office", StartedAt = At(1), EndedAt = At(4), FinalStatus = 486, Reason = "Busy Here" });
        call.Legs.Add(new CallLeg { Id = "leg-3", Direction = "outbound", Destination = "+14155550199", Trunk = "office", StartedAt = At(4), AnsweredAt = At(5, 500), EndedAt = At(66, 750), FinalStatus = 200 });
        var first = started.Clone();
        first.Id = 41;
        call.Events.Add(first);
        call.Events.Add(ended);

        var list = new ListCallsResponse { NextPageToken = "page-2" };
        list.Calls.Add(call.Clone());
        list.Calls[0].Legs.Clear();
        list.Calls[0].Events.Clear();
        list.Calls.Add(new Call { Id = "in-progress-1", TrackingNumber = "+15551230011", CallerNumber = "+14155550124", StartedAt = At(90) });

        var transcript = new Transcript { CallId = CallId, Status = "done", Language = "en" };
        transcript.Segments.Add(new TranscriptSegment { Speaker = "caller", StartMs = 0, EndMs = 2500, Text = "Hi, I saw your ad." });
        transcript.Segments.Add(new TranscriptSegment { Speaker = "business", StartMs = 2600, EndMs = 4000, Text = "Thanks for calling!" });

        var subscribeZero = new SubscribeRequest { ResumeAfter = 0 };
        subscribeZero.OrganisationIds.Add(["org-a", "org-b"]);
        subscribeZero.Kinds.Add(["call.started", "call.ended"]);
        var subscribeMax = new SubscribeRequest { ResumeAfter = long.MaxValue };
        subscribeMax.TrackingNumbers.Add("+15551230011");
        subscribeMax.CampaignIds.Add("c1");

        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["eventStarted"] = started.ToByteArray(),
            ["eventRinging"] = ringing.ToByteArray(),
            ["eventAnswered"] = answered.ToByteArray(),
            ["eventBridged"] = bridged.ToByteArray(),
            ["eventDtmf"] = dtmf.ToByteArray(),
            ["eventEnded"] = ended.ToByteArray(),
            ["eventEndedWithUnknownFields"] = WithUnknownFields(ended),
            ["eventRecordingReady"] = recording.ToByteArray(),
            ["eventUntyped"] = untyped.ToByteArray(),
            ["eventTranscriptSegment"] = segment.ToByteArray(),
            ["callFull"] = call.ToByteArray(),
            ["listResponse"] = list.ToByteArray(),
            ["recordingLink"] = new RecordingLink
            {
                Url = "http://127.0.0.1:8080/media/recordings/abc?sig=x%2By",
                ExpiresAt = At(900),
                ContentType = "audio/ogg; codecs=opus",
                DurationMs = 61000,
                Bytes = 123456,
            }.ToByteArray(),
            ["transcript"] = transcript.ToByteArray(),
            ["subscribeResumeZero"] = subscribeZero.ToByteArray(),
            ["subscribeResumeMax"] = subscribeMax.ToByteArray(),
            ["subscribeEmpty"] = new SubscribeRequest().ToByteArray(),
            ["listRequest"] = new ListCallsRequest
            {
                StartedFrom = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)),
                StartedBefore = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 0, 0, 0, 250, TimeSpan.Zero)),
                TrackingNumber = "+15551230011",
                CampaignId = "c1",
                Disposition = "in-progress",
                Text = "zoë",
                PageSize = 25,
                PageToken = "tok",
            }.ToByteArray(),
            ["listRequestNegative"] = new ListCallsRequest { PageSize = -1 }.ToByteArray(),
            ["getCallRequest"] = new GetCallRequest { CallId = "call-1" }.ToByteArray(),
            ["recordingLinkRequest"] = new GetRecordingLinkRequest { CallId = "call-1", ExpiresInSeconds = 900 }.ToByteArray(),
            ["transcriptRequest"] = new GetTranscriptRequest { CallId = "call-1" }.ToByteArray(),
        };
    }

    private static CallEvent Event(long id, string kind, Timestamp at) => new()
    {
        Id = id,
        Kind = kind,
        OccurredAt = at,
        OrganisationId = "7f1c1f52-6a43-4c8e-9a0a-1b2c3d4e5f60",
        CallId = CallId,
        TrackingNumber = "+15551230011",
        CampaignId = "c0ffee00-0000-4000-8000-000000000001",
    };

    /// <summary>2026-11-01T12:00:00Z plus the given seconds and milliseconds.</summary>
    private static Timestamp At(int seconds, int milliseconds = 0) =>
        Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero).AddSeconds(seconds).AddMilliseconds(milliseconds));

    /// <summary>The message followed by fields a newer engine might send, one of each wire type, placed between known ones.</summary>
    private static byte[] WithUnknownFields(CallEvent message)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(99, WireFormat.WireType.Varint);
        output.WriteUInt64(ulong.MaxValue);
        output.WriteTag(98, WireFormat.WireType.Fixed64);
        output.WriteFixed64(0x0102030405060708);
        output.WriteTag(97, WireFormat.WireType.LengthDelimited);
        output.WriteString("a newer field");
        output.WriteTag(96, WireFormat.WireType.Fixed32);
        output.WriteFixed32(0xdeadbeef);
        output.WriteTag(95, WireFormat.WireType.StartGroup);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt32(7);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteString("inside a group");
        output.WriteTag(95, WireFormat.WireType.EndGroup);

        // A known field sent with the wrong wire type is skipped like an unknown one.
        output.WriteTag(2, WireFormat.WireType.Fixed32);
        output.WriteFixed32(1);
        output.Flush();
        var extra = stream.ToArray();
        var known = message.ToByteArray();

        // Unknown fields first, then the message: a parser that skips them wrongly misreads everything after.
        byte[] all = [.. extra, .. known];

        // Check with the real implementation that the bytes are well formed and mean the same message.
        var parsed = CallEvent.Parser.ParseFrom(all);
        Assert.Equal(message.Ended, parsed.Ended);
        return all;
    }
}
