using System.Text.Json.Nodes;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Transcription;
using CallTracking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary>
/// Transcripts, keyword rules, search and the job queue against a real PostgreSQL, with transcripts written as rows
/// (no model needed).
/// </summary>
public sealed class TranscriptStoreTests(PostgresServer server) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private Guid _organisation;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync());
        await new MigrationRunner(_dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        _organisation = await ScalarAsync<Guid>("INSERT INTO organisations (name) VALUES ('Acme') RETURNING id");
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task A_phrase_said_by_the_rules_speaker_tags_the_call_adds_score_and_value_and_writes_call_tagged()
    {
        var call = await CallWithTranscriptAsync(
            (Speaker.Caller, "Hello, I'd like to book a plumber."),
            (Speaker.Business, "Great, I have BOOKED   an appointment"),
            (Speaker.Business, "for tomorrow at nine."));
        await RuleAsync("appointment", "booked an appointment", speaker: "business", tag: "appointment", score: 20, value: 150m);
        await RuleAsync("plumber", "plumber", tag: "plumbing", score: 5);
        await RuleAsync("caller-booked", "booked an appointment", speaker: "caller", tag: "never", score: 100);
        await RuleAsync("partial-word", "appoint", tag: "never-either");

        var applied = await KeywordRules.EvaluateStoredAsync(new CallRecordStore(_dataSource), call, CancellationToken.None);

        Assert.Equal(["appointment", "plumber"], applied.Select(r => r.Name));
        Assert.Equal(["appointment", "plumbing"], await ListAsync<string>("SELECT tag FROM call_tags WHERE call_id = $1 ORDER BY tag", call));
        Assert.Equal(25, await ScalarAsync<int>("SELECT score FROM calls WHERE id = $1", call));
        Assert.Equal(150m, await ScalarAsync<decimal>("SELECT value FROM calls WHERE id = $1", call));
        var tagged = (await ListAsync<string>("SELECT payload::text FROM events WHERE call_id = $1 AND kind = 'call.tagged' ORDER BY id", call)).Select(p => JsonNode.Parse(p)!).ToList();
        Assert.Equal(2, tagged.Count);
        Assert.Equal("appointment", (string?)tagged[0]["tag"]);
        Assert.Equal(20, (int?)tagged[0]["scoreDelta"]);
        Assert.Equal("business", (string?)tagged[0]["speaker"]);
        Assert.Equal("BOOKED   an appointment", (string?)tagged[0]["matched"]);
        Assert.Equal(25, (int?)tagged[1]["score"]);
    }

    [Fact]
    public async Task Evaluating_the_same_transcript_twice_tags_and_scores_once()
    {
        var call = await CallWithTranscriptAsync((Speaker.Caller, "my sink is leaking"));
        await RuleAsync("leak", "leaking", tag: "leak", score: 10);
        var store = new CallRecordStore(_dataSource);

        await KeywordRules.EvaluateStoredAsync(store, call, CancellationToken.None);
        var second = await KeywordRules.EvaluateStoredAsync(store, call, CancellationToken.None);

        Assert.Empty(second);
        Assert.Equal(10, await ScalarAsync<int>("SELECT score FROM calls WHERE id = $1", call));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM events WHERE call_id = $1 AND kind = 'call.tagged'", call));
    }

    [Fact]
    public async Task A_regex_rule_matches_case_insensitively_a_catastrophic_one_times_out_and_a_disabled_one_is_skipped()
    {
        var call = await CallWithTranscriptAsync((Speaker.Caller, "my number is 555 0199, call me back"), (Speaker.Business, new string('a', 5000) + "!"));
        await RuleAsync("phone", @"\b\d{3}\s?\d{4}\b", isRegex: true, tag: "left-number");
        await RuleAsync("callback", "CALL ME BACK|ring me", isRegex: true, speaker: "caller", tag: "callback");
        await RuleAsync("evil", "(a+)+$", isRegex: true, speaker: "business", tag: "evil");
        await RuleAsync("disabled", "sink|number", isRegex: true, tag: "disabled", enabled: false);

        var started = DateTime.UtcNow;
        var applied = await KeywordRules.EvaluateStoredAsync(new CallRecordStore(_dataSource), call, CancellationToken.None);

        Assert.Equal(["callback", "phone"], applied.Select(r => r.Name));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the catastrophic pattern was cut off by its time-out");
        Assert.Equal(["callback", "left-number"], await ListAsync<string>("SELECT tag FROM call_tags WHERE call_id = $1 ORDER BY tag", call));
    }

    [Fact]
    public async Task The_search_predicate_finds_a_call_by_a_word_of_its_transcript_and_no_other()
    {
        var plumber = await CallWithTranscriptAsync((Speaker.Caller, "my kitchen sink is leaking"), (Speaker.Business, "we can send a plumber"));
        var dentist = await CallWithTranscriptAsync((Speaker.Caller, "I need a dental check-up"));

        Assert.Equal([plumber], await SearchAsync("Leaking"));
        Assert.Equal([plumber], await SearchAsync("\"kitchen sink\" plumber"));
        Assert.Equal([dentist], await SearchAsync("dental -plumber"));
        Assert.Equal(new[] { dentist, plumber }.Order(), await SearchAsync("dental or sink"));
        Assert.Empty(await SearchAsync("roofer"));
        Assert.Empty(await SearchAsync("\"sink kitchen\""));
    }

    [Fact]
    public async Task A_recording_made_while_transcription_is_on_queues_one_job_and_without_it_none()
    {
        var on = new CallRecordStore(_dataSource) { EnqueueTranscription = true };
        var off = new CallRecordStore(_dataSource);
        var queued = await CallAsync();
        var failed = await CallAsync();
        var notOn = await CallAsync();

        var recording = await on.AddRecordingAsync(new RecordingReady(queued, _organisation) { Path = "/recordings/a.opus", Codec = "opus", Channels = 2 }, CancellationToken.None);
        await on.AddRecordingAsync(new RecordingReady(failed, _organisation) { Error = "disk full" }, CancellationToken.None);
        await off.AddRecordingAsync(new RecordingReady(notOn, _organisation) { Path = "/recordings/b.opus" }, CancellationToken.None);

        Assert.Equal([recording], await ListAsync<Guid>("SELECT recording_id FROM transcription_jobs WHERE state = 'queued' AND attempts = 0"));
    }

    [Fact]
    public async Task A_claimed_job_is_not_claimed_again_until_its_lease_runs_out_then_it_is_with_a_second_attempt()
    {
        var settings = new TranscriptionSettings { Lease = TimeSpan.FromSeconds(1) };
        var (queue, _, recording) = await QueuedJobAsync(settings);

        var first = await queue.ClaimAsync("worker-a", CancellationToken.None);
        Assert.NotNull(first);
        Assert.Equal(recording, first.RecordingId);
        Assert.Equal(1, first.Attempts);
        Assert.Equal("/recordings/call.opus", first.Path);
        Assert.Equal(_organisation, first.OrganisationId);
        Assert.Null(await queue.ClaimAsync("worker-b", CancellationToken.None));

        // worker-a renews, then "dies": no more renewals.
        Assert.True(await queue.RenewAsync(first, "worker-a", CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(1.3));
        var second = await queue.ClaimAsync("worker-b", CancellationToken.None);

        Assert.NotNull(second);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempts);
        Assert.False(await queue.RenewAsync(first, "worker-a", CancellationToken.None));
        Assert.Null(await queue.CompleteAsync(first, "worker-a", new TranscriptionResult([], "en", 1000), "model.bin", CancellationToken.None));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM transcripts"));
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_after_an_exponential_back_off_and_fails_for_good_at_max_attempts()
    {
        var settings = new TranscriptionSettings { MaxAttempts = 3, RetryDelay = TimeSpan.FromSeconds(10) };
        var (queue, call, _) = await QueuedJobAsync(settings);
        var delays = new List<double>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var job = await queue.ClaimAsync("worker", CancellationToken.None);
            Assert.NotNull(job);
            Assert.Equal(attempt, job.Attempts);
            var final = await queue.FailAsync(job, "worker", "recording file /recordings/call.opus not found", CancellationToken.None);
            Assert.Equal(attempt == 3, final);
            delays.Add(await ScalarAsync<double>("SELECT extract(epoch FROM next_attempt_at - updated_at)::float8 FROM transcription_jobs"));
            Assert.Null(await queue.ClaimAsync("worker", CancellationToken.None));

            // Make it due now instead of waiting out the back-off.
            await ExecuteAsync("UPDATE transcription_jobs SET next_attempt_at = now() WHERE state = 'queued'");
        }

        Assert.Equal([10.0, 20.0], delays.Take(2).Select(d => Math.Round(d)));
        Assert.Equal("failed", await ScalarAsync<string>("SELECT state FROM transcription_jobs"));
        Assert.Equal(3, await ScalarAsync<int>("SELECT attempts FROM transcription_jobs"));
        Assert.Equal("failed", await ScalarAsync<string>("SELECT status FROM transcripts WHERE call_id = $1", call));
        Assert.Equal("recording file /recordings/call.opus not found", await ScalarAsync<string>("SELECT error FROM transcripts WHERE call_id = $1", call));
    }

    [Fact]
    public async Task Completing_a_job_stores_the_transcript_its_segments_transcript_ready_and_the_tags_in_one_go()
    {
        var (queue, call, recording) = await QueuedJobAsync(new TranscriptionSettings());
        await RuleAsync("leak", "leaking", speaker: "caller", tag: "leak", score: 3);
        var job = (await queue.ClaimAsync("worker", CancellationToken.None))!;
        var result = new TranscriptionResult(
            [new(Speaker.Caller, 100, 900, "my sink is leaking", 0.9f), new(Speaker.Business, 1000, 1800, "we will come", 0.8f)], "en", 2000);

        var transcriptId = await queue.CompleteAsync(job, "worker", result, "ggml-base.en.bin", CancellationToken.None);

        Assert.NotNull(transcriptId);
        Assert.Equal("done", await ScalarAsync<string>("SELECT state FROM transcription_jobs"));
        Assert.Equal(["caller:my sink is leaking", "business:we will come"], await ListAsync<string>("SELECT speaker || ':' || text FROM transcript_segments WHERE transcript_id = $1 ORDER BY start_ms", transcriptId.Value));
        var events = await ListAsync<string>("SELECT kind FROM events WHERE call_id = $1 ORDER BY id", call);
        Assert.Equal([CallEventKinds.RecordingReady, CallEventKinds.TranscriptReady, CallEventKinds.Tagged], events);
        var ready = JsonNode.Parse(await ScalarAsync<string>("SELECT payload::text FROM events WHERE kind = 'transcript.ready'"))!;
        Assert.Equal(call, (Guid?)ready["callId"]);
        Assert.Equal(transcriptId, (Guid?)ready["transcriptId"]);
        Assert.Equal(recording, (Guid?)ready["recordingId"]);
        Assert.Equal("en", (string?)ready["language"]);
        Assert.Equal(2, (int?)ready["segments"]);
        Assert.Equal(2000, (long?)ready["durationMs"]);
    }

    private async Task<(TranscriptionJobQueue Queue, Guid Call, Guid Recording)> QueuedJobAsync(TranscriptionSettings settings)
    {
        var store = new CallRecordStore(_dataSource) { EnqueueTranscription = true };
        var call = await CallAsync();
        var recording = await store.AddRecordingAsync(new RecordingReady(call, _organisation) { Path = "/recordings/call.opus" }, CancellationToken.None);
        return (new TranscriptionJobQueue(_dataSource, store, settings), call, recording);
    }

    private async Task<List<Guid>> SearchAsync(string query)
    {
        await using var command = _dataSource.CreateCommand($"SELECT c.id FROM calls c WHERE c.organisation_id = $1 AND {TranscriptSearch.Predicate("c.id", "$2")} ORDER BY c.id");
        command.Parameters.Add(new() { Value = _organisation });
        command.Parameters.Add(TranscriptSearch.Parameter(query));
        var found = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetGuid(0));
        }

        return found;
    }

    private Task<Guid> CallAsync() =>
        ScalarAsync<Guid>("INSERT INTO calls (organisation_id, tracking_number, sip_call_id, started_at) VALUES ($1, '+15551230001', gen_random_uuid()::text, now()) RETURNING id", _organisation);

    private async Task<Guid> CallWithTranscriptAsync(params (Speaker Speaker, string Text)[] segments)
    {
        var call = await CallAsync();
        var transcript = await ScalarAsync<Guid>(
            "INSERT INTO transcripts (call_id, status, full_text) VALUES ($1, 'ready', $2) RETURNING id", call, string.Join(' ', segments.Select(s => s.Text)));
        var start = 0L;
        foreach (var (speaker, text) in segments)
        {
            await ScalarAsync<int>(
                "INSERT INTO transcript_segments (transcript_id, speaker, start_ms, end_ms, text, confidence) VALUES ($1, $2, $3, $4, $5, 0.9) RETURNING 1",
                transcript, TranscriptSegment.SpeakerText(speaker), start, start + 1000, text);
            start += 1000;
        }

        return call;
    }

    private Task<int> RuleAsync(string name, string pattern, bool isRegex = false, string? speaker = null, string? tag = null, int score = 0, decimal? value = null, bool enabled = true) =>
        ScalarAsync<int>(
            "INSERT INTO keyword_rules (organisation_id, name, pattern, is_regex, speaker, tag, score_delta, value, enabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING 1",
            _organisation, name, pattern, isRegex, (object?)speaker ?? DBNull.Value, (object?)tag ?? DBNull.Value, score, (object?)value ?? DBNull.Value, enabled);

    private async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var command = Command(sql, values);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var command = Command(sql, values);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<T>> ListAsync<T>(string sql, params object[] values)
    {
        await using var command = Command(sql, values);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetFieldValue<T>(0));
        }

        return rows;
    }

    private NpgsqlCommand Command(string sql, object[] values)
    {
        var command = _dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value == DBNull.Value ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown } : new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
