using System.Text.Json.Nodes;
using CallTracking.Engine.Storage;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Infrastructure.GrpcPeers;
using CallTracking.IntegrationTests.Media;
using CallTracking.IntegrationTests.Sip;
using Npgsql;
using static CallTracking.IntegrationTests.Transcription.Live.TranscriptionDatabase;

namespace CallTracking.IntegrationTests.Transcription.Live;

/// <summary>
/// <c>Transcription:Live</c> for real: sipp calls the engine with speech, the engine taps the caller's leg, cuts the
/// speech at its pauses and transcribes it with libwhisper and the tiny generated model while the call goes on.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class LiveTranscriptionTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_call_with_speech_gets_transcript_segments_with_speaker_and_times_before_it_ends()
    {
        var directory = TestDirectory.Create();
        var model = directory.File("ggml-tiny-random.bin");
        TinyWhisperModel.WriteFile(model);
        var database = await server.CreateDatabaseAsync();
        var sipPort = FreePorts.Next();
        var config = new
        {
            Sip = new { Listen = new[] { $"udp:127.0.0.1:{sipPort}" } },
            Media = new { Address = "127.0.0.1" },
            Trunks = new object[] { new { Name = "carrier", Allow = new[] { "127.0.0.1/32" } } },
            Organisations = new[] { new { Name = "Acme Plumbing" } },
            Numbers = new[] { new { Number = EngineConfigs.TrackedNumber, Organisation = "Acme Plumbing", Plan = new Dictionary<string, object> { ["Announcement"] = "none" } } },
        };
        await using var engine = await EngineProcess.StartAsync(
            directory, sipPort, config, [$"--Database:ConnectionString={database}", $"--Transcription:Model={model}", "--Transcription:Live=true", "--Logging:LogLevel:CallTracking.Engine.Grpc=Debug", .. Fast]);
        await SippAgainstEngine.WaitForLogAsync(engine, "Live transcription on: 1 worker(s)", TimeSpan.FromSeconds(10));

        // A dashboard's view: a gRPC stream of transcript.segment (python grpcio), opened before the call.
        var created = await EngineCli.RunAsync(directory, database, "keys", "create", "--org", "Acme Plumbing", "--name", "live");
        Assert.True(created.Code == 0, created.Err);
        using var stream = PythonGrpc.StartCall(
            new GrpcClientCall
            {
                Target = $"{engine.GrpcAddress!.Host}:{engine.GrpcAddress.Port}",
                ProtoRoot = GrpcPeerPaths.EngineProtoRoot,
                Method = "/calltracking.v1.CallEvents/Subscribe",
                RequestJson = """{"kinds": ["transcript.segment"]}""",
                Metadata = [new("authorization", "Bearer " + created.Out.Trim())],
                MaxMessages = 1,
                Timeout = TimeSpan.FromSeconds(90),
            },
            directory,
            "live-stream");
        await SippAgainstEngine.WaitForLogAsync(engine, "Event stream opened", TimeSpan.FromSeconds(30));

        // About 5 s of speech from the answer on, then 4 s of silence before the BYE: the pause after the speech
        // cuts the last utterance while the call still goes on.
        var speech = await MediaCalls.CallerAudioAsync(directory);
        var pcap = MediaCalls.WritePcap(directory, speech, G711Law.MuLaw);
        var hangupAfter = TimeSpan.FromSeconds(9);
        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = SippAudio.PlayAudioScenario(G711Law.MuLaw),
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Keys = SippAudio.PlayAudioKeys(pcap, hangupAfter),
            Timeout = hangupAfter + TimeSpan.FromSeconds(10),
        }));
        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);

        await using var dataSource = NpgsqlDataSource.Create(database);
        var callId = (Guid)await WaitForAsync(
            dataSource,
            "SELECT c.id FROM calls c JOIN events e ON e.call_id = c.id WHERE c.sip_call_id = $1 AND e.kind = 'call.ended'",
            TimeSpan.FromSeconds(20),
            engine.LogTail,
            uac.Messages[0].CallId!);
        var events = await RowsAsync(dataSource, "SELECT kind, payload::text FROM events WHERE call_id = $1 ORDER BY id", callId);
        var kinds = events.Select(e => (string)e[0]!).ToList();
        var ended = kinds.IndexOf(CallEventKinds.Ended);
        var live = events.Take(ended).Where(e => (string)e[0]! == CallEventKinds.TranscriptSegment).Select(e => JsonNode.Parse((string)e[1]!)!).ToList();
        Assert.True(live.Count > 0, $"no transcript.segment before call.ended: {string.Join(", ", kinds)}{Environment.NewLine}{engine.LogTail(60)}");
        Assert.True(kinds.IndexOf(CallEventKinds.Answered) < kinds.IndexOf(CallEventKinds.TranscriptSegment), string.Join(", ", kinds));

        var speechMs = speech.Samples.Length * 1000L / speech.SampleRate;
        foreach (var segment in live)
        {
            Assert.Equal(callId, (Guid?)segment["callId"]);

            // The business side heard nothing (no announcement, no destination): every word is the caller's.
            Assert.Equal("caller", (string?)segment["speaker"]);
            var start = (long)segment["startMs"]!;
            var end = (long)segment["endMs"]!;
            Assert.InRange(start, 0, speechMs + 1000);
            Assert.InRange(end, start, speechMs + 1500);
            Assert.False(string.IsNullOrWhiteSpace((string?)segment["text"]));
            Assert.InRange((double)segment["confidence"]!, 0, 1);
        }

        // The stream had the first one typed.
        var streamed = Assert.Single((await stream.WaitForExitAsync(TimeSpan.FromSeconds(30))).Messages);
        Assert.Equal("transcript.segment", streamed.GetProperty("kind").GetString());
        Assert.Equal(callId.ToString("D"), streamed.GetProperty("call_id").GetString());
        var typed = streamed.GetProperty("transcript_segment");
        Assert.Equal("caller", typed.GetProperty("speaker").GetString());
        Assert.Equal((string?)live[0]["text"], typed.GetProperty("text").GetString());

        Assert.Contains("Live transcription on", engine.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("fell behind", engine.Log, StringComparison.Ordinal);
        File.Delete(model);
    }
}
