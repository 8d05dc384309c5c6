namespace CallTracking.Engine.Configuration;

/// <summary>The <c>Events</c> section: the event feed that gRPC streams read.</summary>
public sealed class EventsOptions
{
    /// <summary>Events a subscriber may have waiting before it is cut off (RESOURCE_EXHAUSTED). Default 1024.</summary>
    public int SubscriberQueue { get; set; } = EventsSettings.DefaultSubscriberQueue;
}
