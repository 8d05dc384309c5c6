namespace CallTracking.Engine.Api;

public sealed record CampaignResource(Guid Id, Guid OrganisationId, string Name, Guid? DefaultPlanId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
