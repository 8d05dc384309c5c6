namespace CallTracking.Engine.Provisioning;

/// <summary>One entry of <c>Organisations[]</c>. <see cref="Path"/> is its JSON path, for error messages.</summary>
public sealed record OrganisationSpec(
    string Path,
    string Name,
    string? Parent,
    string TimeZone,
    IReadOnlyList<PlanSpec> Plans,
    IReadOnlyList<CampaignSpec> Campaigns,
    IReadOnlyList<NumberSpec> Numbers);
