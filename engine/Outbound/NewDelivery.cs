namespace CallTracking.Engine.Outbound;

/// <summary>A delivery to queue: what to send where, and what it is about.</summary>
public sealed record NewDelivery(Guid OrganisationId, string Kind, string EventType, string Url, string Body)
{
    public Guid? WebhookId { get; init; }

    public Guid? ConversionActionId { get; init; }

    public Guid? CallId { get; init; }

    public long? EventId { get; init; }

    /// <summary>Queue it already rejected (a conversion that cannot be built) with this reason, so the operator sees why.</summary>
    public string? RejectedBecause { get; init; }
}
