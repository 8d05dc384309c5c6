using System.Text.Json;

namespace CallTracking.Engine.Api;

/// <summary>A trunk; secrets in its definition (any member whose name contains "password" or "secret") are masked.</summary>
public sealed record TrunkResource(Guid Id, string Name, Guid? OrganisationId, JsonElement Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
