using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Npgsql;

namespace CallTracking.Engine.Events;

/// <summary>
/// The node's one reader of the events outbox, fanning committed events out to subscribers (gRPC streams).
/// A dedicated connection LISTENs on <see cref="NotifyChannel"/> (the <c>events_notify</c> trigger, migration
/// 0002) and wakes the reader; the reader also polls every <see cref="EventFeedOptions.PollInterval"/>, so a lost
/// notification or a broken LISTEN connection only delays. The reader reads <c>id &gt; cursor</c> in id order and
/// queues each event on every matching subscriber without ever waiting: a subscriber whose queue is full is cut
/// off (counted) and resumes from its last id, so one slow client never holds up the feed or the others.
/// Every node runs its own feed over the same table, so each sees every node's events.
/// </summary>
public sealed partial class EventFeed : IHostedService, IAsyncDisposable
{
    public const string MeterName = "CallTracking.Events";

    /// <summary>The PostgreSQL notification channel the <c>events</c> trigger notifies.</summary>
    public const string NotifyChannel = "calltracking_events";

    private readonly NpgsqlDataSource _dataSource;
    private readonly EventStore _store;
    private readonly EventFeedOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Guards _subscribers, _cursor and _state. The fan-out holds it while it queues a batch, so a subscription
    // registers either before an event (and is offered it) or after it (and replays it from the database).
    private readonly Lock _lock = new();
    private readonly List<EventSubscription> _subscribers = [];
    private long _cursor;
    private State _state;

    // Capacity 1, drop-write: any number of notifications between two reads is one wake-up.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _cutOff;
    private readonly Histogram<double> _lag;
    private Task _reading = Task.CompletedTask;
    private Task _listening = Task.CompletedTask;
    private long _cutOffCount;
    private int _disposed;

    public EventFeed(NpgsqlDataSource dataSource, EventFeedOptions options, TimeProvider time, IMeterFactory meters, ILogger<EventFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SubscriberQueue, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        _dataSource = dataSource;
        _store = new EventStore(dataSource);
        _options = options;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("calltracking.events.subscribers", () => SubscriberCount, description: "Event stream subscribers on this node");
        _delivered = meter.CreateCounter<long>("calltracking.events.delivered", description: "Events handed to subscribers (replayed and live)");
        _cutOff = meter.CreateCounter<long>("calltracking.events.subscribers_cut_off", description: "Subscribers cut off because their queue filled");
        _lag = meter.CreateHistogram<double>("calltracking.events.feed_lag", unit: "s", description: "From an event's time to its fan-out on this node");
    }

    private enum State
    {
        Created,
        Running,
        Stopped,
    }

    /// <summary>The id of the last event fanned out.</summary>
    public long Cursor
    {
        get
        {
            lock (_lock)
            {
                return _cursor;
            }
        }
    }

    public int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Subscribers cut off since start (also the <c>calltracking.events.subscribers_cut_off</c> counter).</summary>
    public long CutOffCount => Interlocked.Read(ref _cutOffCount);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Start from now: subscribers without a resume point get what commits from here on.
        var last = await _store.LastIdAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _cursor = last;
            _state = State.Running;
        }

        _listening = Task.Run(ListenAsync, CancellationToken.None);
        _reading = Task.Run(ReadAsync, CancellationToken.None);
    }

    /// <summary>Ends every subscription (<see cref="SubscriptionEndReason.FeedStopped"/>) and stops reading.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        EndSubscriptions();
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_reading, _listening).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends every subscription (<see cref="SubscriptionEndReason.FeedStopped"/>) and refuses new ones. The host
    /// calls it as shutdown begins, before the HTTP server waits for open requests: streams would otherwise hold
    /// the server's graceful stop until its time-out and then be cut without a status.
    /// </summary>
    public void EndSubscriptions()
    {
        List<EventSubscription> ending;
        lock (_lock)
        {
            _state = State.Stopped;
            ending = [.. _subscribers];
            _subscribers.Clear();
        }

        foreach (var subscription in ending)
        {
            subscription.End(SubscriptionEndReason.FeedStopped);
        }
    }

    /// <summary>
    /// Registers a subscriber. Without <paramref name="resumeAfter"/> it gets the events committed after now;
    /// with it, first the stored events after that id up to the feed's cursor (read from the database as the
    /// subscription is read), then the live ones: no gap, no duplicate. Throws <see cref="SubscriptionEndedException"/>
    /// when the feed is not running.
    /// </summary>
    public EventSubscription Subscribe(EventFilter filter, long? resumeAfter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (resumeAfter is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(resumeAfter), resumeAfter, "an event id is never negative");
        }

        var subscription = new EventSubscription(this, filter, _options.SubscriberQueue, resumeAfter);
        lock (_lock)
        {
            if (_state != State.Running)
            {
                throw new SubscriptionEndedException(SubscriptionEndReason.FeedStopped, resumeAfter ?? _cursor);
            }

            subscription.StartCursor = _cursor;
            _subscribers.Add(subscription);
        }

        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_reading, _listening).ConfigureAwait(false);
        }
        finally
        {
            _stop.Dispose();
        }
    }

    internal void Unsubscribe(EventSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
        }
    }

    internal void CountDelivered() => _delivered.Add(1);

    /// <summary>The replay of a resumed subscription, a page at a time.</summary>
    internal async IAsyncEnumerable<FeedEvent> ReadRangeAsync(EventFilter filter, long after, long upTo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = after;
        while (true)
        {
            var page = await _store.ReadRangeAsync(filter, from, upTo, _options.BatchSize, cancellationToken).ConfigureAwait(false);
            foreach (var feedEvent in page)
            {
                yield return feedEvent;
            }

            if (page.Count < _options.BatchSize)
            {
                yield break;
            }

            from = page[^1].Id;
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task ReadAsync()
    {
        var failing = false;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await CatchUpAsync(_stop.Token).ConfigureAwait(false);
                if (failing)
                {
                    failing = false;
                    LogReadRecovered(Cursor);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // The poll interval is the retry back-off; one log line per outage.
                if (!failing)
                {
                    failing = true;
                    LogReadFailed(e, Cursor);
                }
            }

            if (!await WaitForWakeAsync().ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Only this loop moves the cursor, so reading it outside the lock here is safe.
            var batch = await _store.ReadAfterAsync(Cursor, _options.BatchSize, cancellationToken).ConfigureAwait(false);
            if (batch.Count > 0)
            {
                Publish(batch);
            }

            if (batch.Count < _options.BatchSize)
            {
                return;
            }
        }
    }

    private void Publish(List<FeedEvent> batch)
    {
        var cut = new List<EventSubscription>();
        lock (_lock)
        {
            if (_state != State.Running)
            {
                return;
            }

            foreach (var feedEvent in batch)
            {
                if (feedEvent.Id <= _cursor)
                {
                    continue;
                }

                foreach (var subscription in _subscribers)
                {
                    if (subscription.Filter.Matches(feedEvent) && !subscription.TryQueue(feedEvent))
                    {
                        cut.Add(subscription);
                    }
                }

                _cursor = feedEvent.Id;
                if (cut.Count > 0)
                {
                    foreach (var subscription in cut)
                    {
                        _subscribers.Remove(subscription);
                        subscription.End(SubscriptionEndReason.FellBehind);
                        _cutOff.Add(1);
                        Interlocked.Increment(ref _cutOffCount);
                        LogCutOff(subscription.Queued, feedEvent.Id);
                    }

                    cut.Clear();
                }
            }
        }

        _lag.Record(Math.Max(0, (_time.GetUtcNow() - batch[^1].OccurredAt).TotalSeconds));
    }

    /// <summary>Waits for a notification or the poll interval; false when the feed stops.</summary>
    private async Task<bool> WaitForWakeAsync()
    {
        using var poll = new CancellationTokenSource(_options.PollInterval, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(poll.Token, _stop.Token);
        try
        {
            await _wake.Reader.WaitToReadAsync(either.Token).ConfigureAwait(false);
            _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException)
        {
            // The poll interval passed, or the feed stops.
        }

        return !_stop.IsCancellationRequested;
    }

    private async Task ListenAsync()
    {
        var delay = _options.FirstReconnectDelay;
        var failing = false;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, _) => Wake();
                    await using (var listen = new NpgsqlCommand($"LISTEN {NotifyChannel}", connection))
                    {
                        await listen.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                    }

                    if (failing)
                    {
                        failing = false;
                        LogListenRecovered();
                    }

                    delay = _options.FirstReconnectDelay;

                    // Whatever committed while nobody listened is read now rather than at the next poll.
                    Wake();
                    while (true)
                    {
                        if (!await connection.WaitAsync(_options.ListenKeepAlive, _stop.Token).ConfigureAwait(false))
                        {
                            // Silence: make sure the peer is still there (a dead TCP peer never fails a wait).
                            await using var ping = new NpgsqlCommand("SELECT 1", connection);
                            await ping.ExecuteScalarAsync(_stop.Token).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                failing = true;
                LogListenFailed(e, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, _time, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event feed: LISTEN " + NotifyChannel + " failed; events are still polled every second. Reconnecting in {DelaySeconds} s")]
    private partial void LogListenFailed(Exception exception, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event feed: listening for event notifications again")]
    private partial void LogListenRecovered();

    [LoggerMessage(Level = LogLevel.Error, Message = "Event feed: cannot read events after id {Cursor}; subscribers wait until the database answers again")]
    private partial void LogReadFailed(Exception exception, long cursor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event feed: reading events again (cursor {Cursor})")]
    private partial void LogReadRecovered(long cursor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event feed: a subscriber fell behind ({Queued} events queued) and was cut off at event {Id}; it resumes from its last id")]
    private partial void LogCutOff(int queued, long id);
}
