using System.Text.Json;

namespace CallTracking.Engine.Api;

/// <summary>A routing plan; <see cref="Definition"/> is the plan object as stored.</summary>
public sealed record PlanResource(Guid Id, Guid OrganisationId, string Name, JsonElement Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
