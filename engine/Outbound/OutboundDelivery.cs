namespace CallTracking.Engine.Outbound;

/// <summary>
/// A delivery an engine has claimed, with what sending it needs: the webhook's signing secret, or the conversion
/// action's platform and settings (credentials stay there, out of the outbox row).
/// </summary>
public sealed record OutboundDelivery(
    Guid Id,
    Guid OrganisationId,
    string Kind,
    string EventType,
    string Url,
    string Body,
    int Attempts,
    int MaxAttempts,
    Guid? CallId,
    Guid? ReplayOf,
    string? WebhookSecret,
    string? Platform,
    string? SettingsJson);
