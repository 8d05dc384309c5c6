namespace CallTracking.Engine.Api;

/// <summary>An outbound delivery (webhook or conversion) with its status; <see cref="Body"/> and <see cref="AttemptLog"/> only when fetched by id.</summary>
public sealed record DeliveryResource(
    Guid Id,
    Guid OrganisationId,
    string Kind,
    Guid? WebhookId,
    Guid? ConversionActionId,
    Guid? CallId,
    long? EventId,
    string EventType,
    string Url,
    string Status,
    int Attempts,
    int RetriesLeft,
    DateTimeOffset? NextAttemptAt,
    int? LastStatusCode,
    string? LastError,
    string? RemoteReason,
    Guid? ReplayOf,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    string? Body,
    IReadOnlyList<DeliveryAttemptResource>? AttemptLog);
