namespace CallTracking.Engine.Api;

/// <summary>An organisation as the API shows it; <see cref="ParentId"/> is its agency.</summary>
public sealed record OrganisationResource(Guid Id, string Name, Guid? ParentId, string TimeZone, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
