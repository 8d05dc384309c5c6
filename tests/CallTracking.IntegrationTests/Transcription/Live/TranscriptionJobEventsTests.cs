using System.Text.Json.Nodes;
using CallTracking.Engine.Storage;
using CallTracking.IntegrationTests.Infrastructure;
using Npgsql;
using static CallTracking.IntegrationTests.Transcription.Live.TranscriptionDatabase;

namespace CallTracking.IntegrationTests.Transcription.Live;

/// <summary>
/// The job queue's signals, with the worker role as its own process: a job that fails for good says so with a
/// <c>transcript.failed</c> event, and an idle worker takes a new job when it is queued (LISTEN/NOTIFY), not at its
/// next poll.
/// </summary>
public sealed class TranscriptionJobEventsTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_job_that_runs_out_of_attempts_writes_transcript_failed_with_the_reason_and_the_attempts()
    {
        var directory = TestDirectory.Create();
        var (database, model) = await PrepareAsync(server, directory);
        await using var dataSource = NpgsqlDataSource.Create(database);
        var missing = directory.File("removed.opus");
        var (callId, recordingId) = await QueueAsync(dataSource, missing);

        using var worker = await StartWorkerAsync(directory, "worker", database, model, "--Transcription:MaxAttempts=2", "--Transcription:RetrySeconds=0.2");
        try
        {
            await WaitForAsync(dataSource, "SELECT id FROM events WHERE kind = 'transcript.failed'", TimeSpan.FromSeconds(30), n => worker.Tail(n));
        }
        finally
        {
            await StopAsync(worker);
        }

        var reason = $"recording file {missing} not found";
        var events = await RowsAsync(dataSource, "SELECT kind, call_id, payload::text FROM events WHERE call_id = $1 ORDER BY id", callId);
        var failed = Assert.Single(events, e => (string)e[0]! == CallEventKinds.TranscriptFailed);
        Assert.Equal(callId, failed[1]);
        var payload = JsonNode.Parse((string)failed[2]!)!;
        Assert.Equal(reason, (string?)payload["reason"]);
        Assert.Equal(2, (int?)payload["attempts"]);
        Assert.Equal(recordingId, (Guid?)payload["recordingId"]);

        // The first failure was retried, not announced; what GetTranscript reads says failed with the same reason.
        Assert.DoesNotContain(events, e => (string)e[0]! == CallEventKinds.TranscriptReady);
        var transcript = await RowAsync(dataSource, "SELECT status, error FROM transcripts WHERE call_id = $1", callId);
        Assert.Equal(("failed", reason), ((string)transcript[0]!, (string)transcript[1]!));
        File.Delete(model);
    }

    [Fact]
    public async Task An_idle_worker_takes_a_queued_job_at_once_when_notified_not_at_its_next_poll()
    {
        var directory = TestDirectory.Create();
        var (database, model) = await PrepareAsync(server, directory);
        await using var dataSource = NpgsqlDataSource.Create(database);

        // A fallback poll of ten minutes: only the notification can bring the job in time.
        using var worker = await StartWorkerAsync(directory, "worker", database, model, "--Transcription:PollMilliseconds=600000", "--Transcription:MaxAttempts=1");
        try
        {
            // Idle: it has looked once, found nothing, and waits.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var (callId, _) = await QueueAsync(dataSource, directory.File("not-there.opus"));
            await WaitForAsync(dataSource, "SELECT id FROM transcription_jobs WHERE state = 'failed'", TimeSpan.FromSeconds(15), n => worker.Tail(n));

            // Queued (created_at, the enqueueing transaction) to taken and failed (updated_at) well within a second.
            var seconds = (double)(await RowAsync(dataSource, "SELECT extract(epoch FROM updated_at - created_at)::float8 FROM transcription_jobs WHERE call_id = $1", callId))[0]!;
            Assert.InRange(seconds, 0, 1.0);
        }
        finally
        {
            await StopAsync(worker);
        }

        Assert.Contains("started (attempt 1)", worker.Output, StringComparison.Ordinal);
        File.Delete(model);
    }
}
