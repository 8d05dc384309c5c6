namespace CallTracking.Engine.Events;

/// <summary>Tuning of <see cref="EventFeed"/>.</summary>
public sealed class EventFeedOptions
{
    /// <summary><c>Events:SubscriberQueue</c>: events a subscriber may have waiting before it is cut off. Default 1024.</summary>
    public int SubscriberQueue { get; init; } = 1024;

    /// <summary>Events read per query, live and replay. Default 500.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>How often the feed reads without being notified, so a lost notification only delays. Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The first wait before the LISTEN connection is retried; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan FirstReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the LISTEN connection may be silent before it is checked with a query (a dead peer is otherwise never noticed).</summary>
    public TimeSpan ListenKeepAlive { get; init; } = TimeSpan.FromSeconds(30);
}
