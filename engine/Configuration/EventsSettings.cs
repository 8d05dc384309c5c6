namespace CallTracking.Engine.Configuration;

/// <summary>Validated <c>Events</c> section.</summary>
public sealed record EventsSettings(int SubscriberQueue)
{
    public const int DefaultSubscriberQueue = 1024;

    public static readonly EventsSettings Default = new(DefaultSubscriberQueue);
}
