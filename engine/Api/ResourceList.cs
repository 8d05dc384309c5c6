namespace CallTracking.Engine.Api;

/// <summary>A list response: <c>{ "items": [...] }</c>.</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items);
