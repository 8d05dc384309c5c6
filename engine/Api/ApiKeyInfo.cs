namespace CallTracking.Engine.Api;

/// <summary>What may be shown about a key: never its secret.</summary>
public sealed record ApiKeyInfo(string Prefix, string Name, string Organisation, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
