namespace CallTracking.Engine.Api;

/// <summary>A tracking number (E.164) and the campaign and routing plan it belongs to.</summary>
public sealed record NumberResource(Guid Id, string Number, Guid OrganisationId, Guid? CampaignId, Guid? PlanId, string? Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
