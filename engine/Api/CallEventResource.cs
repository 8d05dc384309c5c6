using System.Text.Json;

namespace CallTracking.Engine.Api;

/// <summary>One event of a call; <see cref="Id"/> only increases, in the order the events were written.</summary>
public sealed record CallEventResource(long Id, string Kind, DateTimeOffset OccurredAt, JsonElement Payload);
