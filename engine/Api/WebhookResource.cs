namespace CallTracking.Engine.Api;

/// <summary>A webhook endpoint. <see cref="Secret"/> is only in the answer to its creation (and to a secret rotation).</summary>
public sealed record WebhookResource(Guid Id, Guid OrganisationId, string Url, IReadOnlyList<string> Events, bool Enabled, string? Description, string? Secret, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
