using System.Collections.Concurrent;
using System.Diagnostics;
using CallTracking.Engine.Storage;

namespace CallTracking.Bench.Events;

/// <summary>
/// Writes calls through the engine's own <see cref="CallRecordStore"/> at a steady rate, as the call controller's
/// writer does: each call commits <c>call.started</c>, <c>call.ringing</c> 0.3 s later, <c>call.answered</c> at 1 s
/// and <c>call.ended</c> at 2 s, each in its own transaction. Notes when each commit was acknowledged, by
/// <see cref="Stopwatch"/> time, keyed by (call id, kind): the start of each event's latency.
/// <paramref name="writers"/> transactions run at once: 1 is what one engine node's <see cref="CallRecordWriter"/>
/// does (one operation at a time, in order), so the load is a second node's.
/// </summary>
internal sealed class CallEventLoad(CallRecordStore store, Guid organisationId, int writers)
{
    private readonly SemaphoreSlim _writer = new(writers, writers);

    private readonly ConcurrentDictionary<(string CallId, string Kind), long> _committed = new();
    private int _failures;

    public IReadOnlyDictionary<(string CallId, string Kind), long> Committed => _committed;

    public int Failures => _failures;

    public int Calls { get; private set; }

    /// <summary>Starts <paramref name="callsPerSecond"/> calls a second for <paramref name="duration"/>; returns when every call has ended.</summary>
    public async Task RunAsync(double callsPerSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        var calls = new List<Task>();
        var interval = TimeSpan.FromSeconds(1 / callsPerSecond);
        var clock = Stopwatch.StartNew();
        var next = TimeSpan.Zero;
        while (clock.Elapsed < duration)
        {
            calls.Add(CallAsync(calls.Count, cancellationToken));
            next += interval;
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        Calls = calls.Count;
        await Task.WhenAll(calls).ConfigureAwait(false);
    }

    private async Task WriteAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await write().ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task CallAsync(int index, CancellationToken cancellationToken)
    {
        try
        {
            var started = new CallStarted(organisationId, "+15551230001", $"bench-{index}@127.0.0.1", DateTimeOffset.UtcNow)
            {
                CallerNumber = "+14155550100",
                Trunk = "bench",
            };
            var callId = started.CallId;
            var key = callId.ToString();
            await WriteAsync(() => store.StartCallAsync(started, cancellationToken), cancellationToken).ConfigureAwait(false);
            _committed[(key, CallEventKinds.Started)] = Stopwatch.GetTimestamp();

            await Task.Delay(300, cancellationToken).ConfigureAwait(false);
            await WriteAsync(() => store.AppendEventAsync(callId, organisationId, CallEventKinds.Ringing, new System.Text.Json.Nodes.JsonObject { ["destination"] = "+15557654321", ["status"] = 180 }, cancellationToken), cancellationToken).ConfigureAwait(false);
            _committed[(key, CallEventKinds.Ringing)] = Stopwatch.GetTimestamp();

            await Task.Delay(700, cancellationToken).ConfigureAwait(false);
            await WriteAsync(() => store.MarkAnsweredAsync(new CallAnswered(callId, organisationId, DateTimeOffset.UtcNow), cancellationToken), cancellationToken).ConfigureAwait(false);
            _committed[(key, CallEventKinds.Answered)] = Stopwatch.GetTimestamp();

            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
            await WriteAsync(() => store.EndCallAsync(new CallEnded(callId, organisationId, DateTimeOffset.UtcNow, CallDisposition.Answered) { HangupBy = HangupParty.Caller }, cancellationToken), cancellationToken).ConfigureAwait(false);
            _committed[(key, CallEventKinds.Ended)] = Stopwatch.GetTimestamp();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            if (Interlocked.Increment(ref _failures) == 1)
            {
                Console.Error.WriteLine($"    first write failure: {e.Message}");
            }
        }
    }
}
