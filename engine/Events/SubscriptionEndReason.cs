namespace CallTracking.Engine.Events;

/// <summary>Why the feed ended a subscription.</summary>
public enum SubscriptionEndReason
{
    /// <summary>The subscriber's queue filled: it read slower than events arrived.</summary>
    FellBehind,

    /// <summary>The feed stopped (the engine is shutting down).</summary>
    FeedStopped,
}
