using CallTracking.IntegrationTests.Infrastructure.GrpcPeers;
using System.Text.Json.Nodes;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Transcription;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Media;
using CallTracking.IntegrationTests.Sip;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary>
/// The whole transcription path for real: sipp calls the engine with speech, the engine records it and queues a
/// job, libwhisper with the tiny generated model transcribes it, the transcript lands in PostgreSQL; and the worker
/// role as its own process, killed mid-job, and failing a job whose recording is gone.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class TranscriptionJobsTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static readonly string[] Fast = ["--Transcription:TemperatureIncrement=0", "--Transcription:Language=en", "--Transcription:Threads=2"];

    [Fact]
    public async Task A_call_with_speech_is_recorded_transcribed_with_the_callers_segments_announced_and_found_by_search()
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
            directory, sipPort, config, [$"--Database:ConnectionString={database}", $"--Transcription:Model={model}", "--Transcription:PollMilliseconds=200", "--Logging:LogLevel:CallTracking.Engine.Grpc=Debug", .. Fast]);

        // A dashboard's view: a gRPC stream of transcript.ready (python grpcio), opened before the call.
        var created = await EngineCli.RunAsync(directory, database, "keys", "create", "--org", "Acme Plumbing", "--name", "transcripts");
        Assert.True(created.Code == 0, created.Err);
        GrpcClientCall Grpc(string method, string request, int? maxMessages = null) => new()
        {
            Target = $"{engine.GrpcAddress!.Host}:{engine.GrpcAddress.Port}",
            ProtoRoot = GrpcPeerPaths.EngineProtoRoot,
            Method = method,
            RequestJson = request,
            Metadata = [new("authorization", "Bearer " + created.Out.Trim())],
            MaxMessages = maxMessages,
            Timeout = TimeSpan.FromSeconds(120),
        };
        using var stream = PythonGrpc.StartCall(Grpc("/calltracking.v1.CallEvents/Subscribe", """{"kinds": ["transcript.ready"]}""", maxMessages: 1), directory, "transcript-stream");
        await SippAgainstEngine.WaitForLogAsync(engine, "Event stream opened", TimeSpan.FromSeconds(30));

        var speech = await MediaCalls.CallerAudioAsync(directory);
        var pcap = MediaCalls.WritePcap(directory, speech, G711Law.MuLaw);
        var hangupAfter = TimeSpan.FromSeconds(7);
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
        var callId = await WaitForAsync(dataSource, "SELECT c.id FROM calls c JOIN transcription_jobs j ON j.call_id = c.id WHERE c.sip_call_id = $1 AND j.state = 'done'", TimeSpan.FromSeconds(90), engine.LogTail, uac.Messages[0].CallId!);

        var transcript = await RowAsync(dataSource, "SELECT id, status, language, duration_ms FROM transcripts WHERE call_id = $1", callId);
        Assert.Equal("ready", transcript[1]);
        Assert.Equal("en", transcript[2]);
        var durationMs = (long)transcript[3]!;
        Assert.InRange(durationMs, 5_000, 10_000);
        var segments = await RowsAsync(dataSource, "SELECT speaker, start_ms, end_ms, text, confidence, text_sealed FROM transcript_segments WHERE transcript_id = $1 ORDER BY start_ms, id", transcript[0]!);
        Assert.NotEmpty(segments);

        // The business side (right channel) heard nothing: no announcement, no destination.
        Assert.All(segments, s => Assert.Equal("caller", s[0]));
        var previous = 0L;
        foreach (var segment in segments)
        {
            Assert.InRange((long)segment[1]!, previous, durationMs);
            Assert.InRange((long)segment[2]!, (long)segment[1]!, durationMs);

            // Encrypted at rest (the recording was too, and the worker decrypted it): no text in the clear, only sealed.
            Assert.Equal(string.Empty, (string)segment[3]!);
            Assert.True(((byte[])segment[5]!).Length > 28, "the segment's text is not sealed");
            Assert.InRange((float)segment[4]!, 0f, 1f);
            previous = (long)segment[1]!;
        }

        // The speech starts after the answer; the VAD put the segments back on the recording's time line.
        Assert.True((long)segments[^1][2]! > 1000, "the segments end in the first second of a 7 s call");

        var events = await RowsAsync(dataSource, "SELECT kind, payload::text FROM events WHERE call_id = $1 ORDER BY id", callId);
        Assert.Equal(CallEventKinds.RecordingReady, events[^2][0]);
        Assert.Equal(CallEventKinds.TranscriptReady, events[^1][0]);
        var ready = JsonNode.Parse((string)events[^1][1]!)!;
        Assert.Equal(callId, (Guid?)ready["callId"]);
        Assert.Equal(transcript[0], (Guid?)ready["transcriptId"]);
        Assert.Equal(segments.Count, (int?)ready["segments"]);
        Assert.Equal(durationMs, (long?)ready["durationMs"]);

        // Found by a word of its transcript.
        var word = (string)(await RowAsync(dataSource, "SELECT word FROM ts_stat($$SELECT search FROM transcripts$$) ORDER BY nentry DESC, word LIMIT 1"))[0]!;
        var found = await RowsAsync(dataSource, $"SELECT c.id FROM calls c WHERE {TranscriptSearch.Predicate("c.id", "$1")}", word);
        Assert.Equal([callId], found.Select(r => (Guid)r[0]!));

        // The same over gRPC: the stream got transcript.ready typed, ListCalls finds the call by the word, and
        // GetTranscript has the caller's segments.
        var streamed = await stream.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var readyEvent = Assert.Single(streamed.Messages);
        Assert.Equal(callId.ToString("D"), readyEvent.GetProperty("call_id").GetString());
        Assert.Equal(segments.Count, readyEvent.GetProperty("transcript_ready").GetProperty("segments").GetInt32());
        var listed = await PythonGrpc.CallAsync(Grpc("/calltracking.v1.Calls/ListCalls", $$"""{"text": "{{word}}"}"""), directory, name: "list-by-word");
        Assert.Equal("OK", listed.Status);
        Assert.Equal([callId.ToString("D")], Assert.Single(listed.Messages).GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        var fetched = await PythonGrpc.CallAsync(Grpc("/calltracking.v1.Calls/GetTranscript", $$"""{"call_id": "{{callId:D}}"}"""), directory, name: "get-transcript");
        var body = Assert.Single(fetched.Messages);
        Assert.Equal("done", body.GetProperty("status").GetString());
        Assert.Equal(segments.Count, body.GetProperty("segments").GetArrayLength());
        Assert.All(body.GetProperty("segments").EnumerateArray(), s => Assert.Equal("caller", s.GetProperty("speaker").GetString()));
        Assert.All(body.GetProperty("segments").EnumerateArray(), s => Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("text").GetString())));
        File.Delete(model);
    }

    [Fact]
    public async Task A_worker_killed_mid_job_leaves_the_job_to_the_next_worker_which_completes_it_on_the_second_attempt()
    {
        var directory = TestDirectory.Create();
        var (database, model) = await PrepareAsync(directory);
        await using var dataSource = NpgsqlDataSource.Create(database);
        var recording = directory.File("call.opus");
        await StereoSpeechRecordingAsync(directory, recording, repeat: 6);
        var (callId, _) = await QueueAsync(dataSource, recording);

        var first = await StartWorkerAsync(directory, "worker-1", database, model);
        try
        {
            await WaitForLogAsync(first, "started (attempt 1)", TimeSpan.FromSeconds(30));
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            first.Dispose();
        }

        var held = await RowAsync(dataSource, "SELECT state, attempts FROM transcription_jobs");
        Assert.Equal(("running", 1), ((string)held[0]!, (int)held[1]!));

        using var second = await StartWorkerAsync(directory, "worker-2", database, model);
        try
        {
            await WaitForAsync(dataSource, "SELECT call_id FROM transcription_jobs WHERE state = 'done'", TimeSpan.FromSeconds(120), n => second.Tail(n));
        }
        finally
        {
            await StopAsync(second);
        }

        Assert.Equal(2, (int)(await RowAsync(dataSource, "SELECT attempts FROM transcription_jobs"))[0]!);
        Assert.Equal("ready", (await RowAsync(dataSource, "SELECT status FROM transcripts WHERE call_id = $1", callId))[0]);
        Assert.Contains("started (attempt 2)", second.Output, StringComparison.Ordinal);
        var speakers = await RowsAsync(dataSource, "SELECT DISTINCT speaker FROM transcript_segments");
        Assert.Equal(["caller"], speakers.Select(r => (string)r[0]!));
        File.Delete(model);
    }

    [Fact]
    public async Task A_job_whose_recording_file_is_gone_is_retried_with_back_off_then_failed_with_the_reason()
    {
        var directory = TestDirectory.Create();
        var (database, model) = await PrepareAsync(directory);
        await using var dataSource = NpgsqlDataSource.Create(database);
        var missing = directory.File("removed.opus");
        var (callId, _) = await QueueAsync(dataSource, missing);

        using var worker = await StartWorkerAsync(directory, "worker", database, model, "--Transcription:MaxAttempts=3", "--Transcription:RetrySeconds=0.5");
        try
        {
            await WaitForAsync(dataSource, "SELECT call_id FROM transcription_jobs WHERE state = 'failed'", TimeSpan.FromSeconds(30), n => worker.Tail(n));
        }
        finally
        {
            await StopAsync(worker);
        }

        var job = await RowAsync(dataSource, "SELECT attempts, last_error, extract(epoch FROM updated_at - created_at)::float8 FROM transcription_jobs");
        Assert.Equal(3, (int)job[0]!);
        Assert.Equal($"recording file {missing} not found", job[1]);

        // Back-off 0.5 s then 1 s between the three attempts.
        Assert.InRange((double)job[2]!, 1.4, 20);
        var transcript = await RowAsync(dataSource, "SELECT status, error FROM transcripts WHERE call_id = $1", callId);
        Assert.Equal(("failed", $"recording file {missing} not found"), ((string)transcript[0]!, (string)transcript[1]!));
        Assert.Equal(2, worker.Output.Split('\n').Count(l => l.Contains("will retry", StringComparison.Ordinal)));
        Assert.Contains("failed after 3 attempts", worker.Output, StringComparison.Ordinal);
        File.Delete(model);
    }

    private async Task<(string Database, string Model)> PrepareAsync(TestDirectory directory)
    {
        var model = directory.File("ggml-tiny-random.bin");
        TinyWhisperModel.WriteFile(model);
        var database = await server.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        return (database, model);
    }

    /// <summary>A call with a recording at <paramref name="path"/>, queued as the engine queues it.</summary>
    private static async Task<(Guid Call, Guid Recording)> QueueAsync(NpgsqlDataSource dataSource, string path)
    {
        var organisation = (Guid)(await RowAsync(dataSource, "INSERT INTO organisations (name) VALUES ('Acme') RETURNING id"))[0]!;
        var call = (Guid)(await RowAsync(dataSource, "INSERT INTO calls (organisation_id, tracking_number, sip_call_id, started_at) VALUES ($1, '+15551230001', 'sip-1', now()) RETURNING id", organisation))[0]!;
        var store = new CallRecordStore(dataSource) { EnqueueTranscription = true };
        var recording = await store.AddRecordingAsync(new CallTracking.Engine.Storage.RecordingReady(call, organisation) { Path = path, Codec = "opus", Channels = 2 }, CancellationToken.None);
        return (call, recording);
    }

    /// <summary>espeak-ng speech on the left (caller) channel, silence on the right, as Ogg Opus (opusenc).</summary>
    private static async Task StereoSpeechRecordingAsync(TestDirectory directory, string path, int repeat)
    {
        await TestAudio.SpeechAsync(TestAudio.CallerPhrase, directory.Path, "speech");
        var stereo = directory.File("stereo.wav");
        await ExternalTool.RunAsync("sox", [directory.File("speech.wav"), "-c", "2", stereo, "remix", "1", "0", "repeat", (repeat - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await ExternalTool.RunAsync("opusenc", ["--quiet", stereo, path]);
    }

    private static async Task<CapturedProcess> StartWorkerAsync(TestDirectory directory, string name, string database, string model, params string[] arguments)
    {
        var sipPort = FreePorts.Next();
        var configPath = directory.File($"{name}.json");
        await File.WriteAllTextAsync(configPath, System.Text.Json.JsonSerializer.Serialize(EngineConfigs.Standard(sipPort)));
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        string[] all =
        [
            Path.Combine(AppContext.BaseDirectory, "calltracking.dll"), "run", "--role", "worker", "--config", configPath,
            $"--Data:Path={directory.SubDirectory(name)}", $"--Database:ConnectionString={database}", $"--Transcription:Model={model}",
            "--Transcription:LeaseSeconds=3", "--Transcription:PollMilliseconds=200", .. Fast, .. arguments,
        ];
        var worker = CapturedProcess.Start(host, all, directory.Path, directory.File($"{name}.log"));
        try
        {
            await WaitForLogAsync(worker, "CallTracking transcription worker started", TimeSpan.FromSeconds(45));
            return worker;
        }
        catch
        {
            worker.Kill();
            worker.Dispose();
            throw;
        }
    }

    private static async Task StopAsync(CapturedProcess worker)
    {
        await worker.SignalAsync("TERM");
        if (!await worker.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            worker.Kill();
        }
    }

    private static async Task WaitForLogAsync(CapturedProcess process, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!process.Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no '{text}' in the log{Environment.NewLine}{process.Tail(40)}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<Guid> WaitForAsync(NpgsqlDataSource dataSource, string sql, TimeSpan timeout, Func<int, string> log, params object[] values)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var rows = await RowsAsync(dataSource, sql, values);
            if (rows.Count > 0)
            {
                return (Guid)rows[0][0]!;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"nothing from {sql} after {timeout}{Environment.NewLine}{log(40)}");
            }

            await Task.Delay(200);
        }
    }

    private static async Task<object?[]> RowAsync(NpgsqlDataSource dataSource, string sql, params object[] values) =>
        Assert.Single(await RowsAsync(dataSource, sql, values));

    private static async Task<List<object?[]>> RowsAsync(NpgsqlDataSource dataSource, string sql, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
