namespace CallTracking.Engine.Provisioning;

/// <summary>
/// One entry of <c>Organisations[]</c>. <see cref="Path"/> is its JSON path, for error messages. A null
/// <see cref="TimeZone"/> leaves an existing organisation's zone as it is (set through the API, say) and makes a
/// new one UTC.
/// </summary>
public sealed record OrganisationSpec(
    string Path,
    string Name,
    string? Parent,
    string? TimeZone,
    IReadOnlyList<PlanSpec> Plans,
    IReadOnlyList<CampaignSpec> Campaigns,
    IReadOnlyList<NumberSpec> Numbers);
