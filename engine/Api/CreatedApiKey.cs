namespace CallTracking.Engine.Api;

/// <summary>A key just created: <see cref="Key"/> is the only time its secret exists outside the caller's hands.</summary>
public sealed record CreatedApiKey(string Prefix, string Key);
