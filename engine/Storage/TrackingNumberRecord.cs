namespace CallTracking.Engine.Storage;

/// <summary>A tracking number with what a call to it needs: its organisation, campaign and routing plan.</summary>
/// <param name="PlanId">The number's own plan, else its campaign's default plan.</param>
/// <param name="PlanDefinitionJson">That plan's <c>definition</c> as JSON text.</param>
public sealed record TrackingNumberRecord(
    Guid NumberId,
    string Number,
    string? Name,
    Guid OrganisationId,
    Guid? CampaignId,
    string? CampaignName,
    Guid? PlanId,
    string? PlanDefinitionJson);
