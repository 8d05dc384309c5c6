namespace CallTracking.Engine.Api;

/// <summary>A number pool: its tracking numbers, the fallback shown when all are taken, the lease and cool-down times.</summary>
public sealed record DniPoolResource(
    Guid Id,
    Guid OrganisationId,
    string Name,
    string? FallbackNumber,
    int LeaseSeconds,
    int CooldownSeconds,
    IReadOnlyList<string> Numbers,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
