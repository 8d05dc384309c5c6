using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CallTracking.Grpc.V1;

namespace CallTracking.Engine.Events;

/// <summary>
/// One subscriber of an <see cref="EventFeed"/>: a bounded queue the feed fills with matching live events
/// (never waiting: a full queue ends the subscription) and, for a resumed subscription, the replay of the stored
/// events between the resume point and the feed's cursor at registration. <see cref="ReadAllAsync"/> yields
/// the replay first, then the queue, each event once, in id order. Dispose to unsubscribe.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private readonly EventFeed _feed;
    private readonly Channel<FeedEvent> _live;
    private readonly long? _resumeAfter;

    // Written by the feed (under its lock) before the channel completes; read by the reader after it drained.
    private int _endReason = -1;
    private int _reading;

    internal EventSubscription(EventFeed feed, EventFilter filter, int capacity, long? resumeAfter)
    {
        _feed = feed;
        Filter = filter;
        _resumeAfter = resumeAfter;

        // Wait mode so TryWrite reports "full" rather than dropping: a dropped event would be a silent gap, so the
        // feed cuts the subscriber off instead (it resumes from its last id). One writer: the feed's fan-out.
        _live = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
    }

    public EventFilter Filter { get; }

    /// <summary>The feed's cursor when this subscription registered: live events have larger ids, the replay stops here.</summary>
    public long StartCursor { get; internal set; }

    /// <summary>The id of the last event <see cref="ReadAllAsync"/> yielded (the resume point, or <see cref="StartCursor"/>, before the first).</summary>
    public long LastDeliveredId { get; private set; }

    /// <summary>Live events waiting.</summary>
    public int Queued => _live.Reader.Count;

    /// <summary>
    /// The events, replay then live, until <paramref name="cancellationToken"/> fires or the feed ends the
    /// subscription (<see cref="SubscriptionEndedException"/>). One reader at a time; breaking out and enumerating
    /// again continues after the last event yielded.
    /// </summary>
    public async IAsyncEnumerable<CallEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A later enumeration (after the reader broke out of an earlier one) continues where that one stopped.
        var first = Interlocked.Exchange(ref _reading, 1) == 0;
        if (first)
        {
            LastDeliveredId = _resumeAfter ?? StartCursor;
        }

        // The replay: stored events up to the cursor at registration (live ones come after it).
        if (LastDeliveredId < StartCursor)
        {
            await foreach (var replayed in _feed.ReadRangeAsync(Filter, LastDeliveredId, StartCursor, cancellationToken).ConfigureAwait(false))
            {
                LastDeliveredId = replayed.Id;
                _feed.CountDelivered();
                yield return replayed.Message;
            }
        }

        while (await _live.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_live.Reader.TryRead(out var live))
            {
                // The feed only queues ids above StartCursor, past the replay; this keeps "no duplicate" local.
                if (live.Id <= LastDeliveredId)
                {
                    continue;
                }

                LastDeliveredId = live.Id;
                _feed.CountDelivered();
                yield return live.Message;
            }
        }

        var reason = Volatile.Read(ref _endReason);
        throw new SubscriptionEndedException(reason < 0 ? SubscriptionEndReason.FeedStopped : (SubscriptionEndReason)reason, LastDeliveredId);
    }

    public void Dispose() => _feed.Unsubscribe(this);

    /// <summary>Queues a live event; false when the queue is full (the feed then ends the subscription).</summary>
    internal bool TryQueue(FeedEvent feedEvent) => _live.Writer.TryWrite(feedEvent);

    /// <summary>Ends the subscription: what is queued is still read, then <see cref="ReadAllAsync"/> throws.</summary>
    internal void End(SubscriptionEndReason reason)
    {
        if (Interlocked.CompareExchange(ref _endReason, (int)reason, -1) == -1)
        {
            _live.Writer.TryComplete();
        }
    }
}
