using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Npgsql;

namespace CallTracking.Engine.Storage;

/// <summary>
/// Takes call-record writes off SIP and media threads: <see cref="Enqueue"/> never blocks and never touches the
/// database. One reader applies the writes in the order they were queued (so a call's writes keep their order),
/// retrying with back-off while the database is unavailable. Nothing is dropped without a count and an error log:
/// a full queue, a write the database refuses, and writes still queued when shutdown runs out of time.
/// On stop the queue is drained before the database goes away.
/// </summary>
public sealed partial class CallRecordWriter : IHostedService, IDisposable
{
    public const string MeterName = "CallTracking.Storage";
    public const int DefaultCapacity = 10_000;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    private readonly CallRecordStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<CallRecordOperation> _queue;
    private readonly Counter<long> _writes;
    private readonly Counter<long> _failures;
    private readonly CancellationTokenSource _abort = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    public CallRecordWriter(CallRecordStore store, TimeProvider time, IMeterFactory meters, ILogger<CallRecordWriter> logger, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _store = store;
        _time = time;
        _logger = logger;

        // Wait mode only so TryWrite reports "full" instead of dropping something itself: the drop is ours to count.
        _queue = Channel.CreateBounded<CallRecordOperation>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        var meter = meters.Create(MeterName);
        _writes = meter.CreateCounter<long>("calltracking.storage.writes", description: "Call-record writes committed");
        _failures = meter.CreateCounter<long>("calltracking.storage.write_failures", description: "Call-record writes lost: queue full, refused by the database, or unwritten at shutdown");
        meter.CreateObservableGauge("calltracking.storage.queue_depth", () => _queue.Reader.Count, description: "Call-record writes waiting");
    }

    /// <summary>Writes waiting.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Queues <paramref name="operation"/>; returns false (counted, logged) when the queue is full or the writer has stopped.</summary>
    public bool Enqueue(CallRecordOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (_queue.Writer.TryWrite(operation))
        {
            return true;
        }

        _failures.Add(1);
        LogQueueFull(operation.Kind, operation.CallId, _queue.Reader.Count);
        return false;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking writes and drains the queue; when <paramref name="cancellationToken"/> fires first, what is left is counted as lost.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        using (cancellationToken.Register(_abort.Cancel))
        {
            await _loop.ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        // The host and the container may both dispose it.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _abort.Cancel();
        _abort.Dispose();
    }

    private async Task RunAsync()
    {
        var outage = false;
        while (await WaitToReadAsync().ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out var operation))
            {
                var delay = FirstRetry;
                while (true)
                {
                    try
                    {
                        await operation.ExecuteAsync(_store, _abort.Token).ConfigureAwait(false);
                        _writes.Add(1);
                        if (outage)
                        {
                            outage = false;
                            LogRecovered(_queue.Reader.Count);
                        }

                        break;
                    }
                    catch (OperationCanceledException) when (_abort.IsCancellationRequested)
                    {
                        Abandon(1);
                        return;
                    }
                    catch (Exception e) when (IsTransient(e))
                    {
                        if (!outage)
                        {
                            outage = true;
                            LogUnavailable(e, _queue.Reader.Count + 1);
                        }

                        try
                        {
                            await Task.Delay(delay, _time, _abort.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            Abandon(1);
                            return;
                        }

                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
                    }
#pragma warning disable CA1031 // A write the database refuses (a bug or bad data) must not stop every later write.
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        _failures.Add(1);
                        LogRefused(e, operation.Kind, operation.CallId);
                        break;
                    }
                }
            }
        }
    }

    private async Task<bool> WaitToReadAsync()
    {
        try
        {
            return await _queue.Reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Abandon(0);
            return false;
        }
    }

    private void Abandon(int inHand)
    {
        var lost = inHand;
        while (_queue.Reader.TryRead(out _))
        {
            lost++;
        }

        if (lost > 0)
        {
            _failures.Add(lost);
            LogAbandoned(lost);
        }
    }

    // Connection-level failures (refused, reset, timed out, server shutting down) pass; a refused statement does not.
    private static bool IsTransient(Exception e) =>
        e is TimeoutException || e is NpgsqlException { IsTransient: true } || (e is NpgsqlException and not PostgresException);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call record queue full ({Depth} waiting): {Kind} of call {CallId} was not written. The database is down or too slow: check it is running and reachable (Database:ConnectionString, or the embedded cluster's server.log under Data:Path/pg)")]
    private partial void LogQueueFull(string kind, Guid callId, int depth);

    [LoggerMessage(Level = LogLevel.Error, Message = "Database unavailable; {Waiting} call-record writes waiting, retrying. Check that PostgreSQL is running and reachable (Database:ConnectionString, or the embedded cluster's server.log under Data:Path/pg)")]
    private partial void LogUnavailable(Exception exception, int waiting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database available again; {Waiting} call-record writes waiting")]
    private partial void LogRecovered(int waiting);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refused {Kind} of call {CallId}; the write is lost")]
    private partial void LogRefused(Exception exception, string kind, Guid callId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutdown ran out of time: {Lost} call-record writes were not written")]
    private partial void LogAbandoned(int lost);
}
