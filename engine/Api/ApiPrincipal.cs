namespace CallTracking.Engine.Api;

/// <summary>
/// Who a request is: the key's organisation, and every organisation it may see — itself
/// and, for an agency, its clients (and their clients).
/// </summary>
public sealed record ApiPrincipal(string KeyPrefix, Guid OrganisationId, IReadOnlyList<Guid> VisibleOrganisations)
{
    /// <summary>An agency key: its organisation has clients.</summary>
    public bool IsAgency => VisibleOrganisations.Count > 1;

    public bool CanSee(Guid organisationId) => VisibleOrganisations.Contains(organisationId);

    internal Guid[] Scope => [.. VisibleOrganisations];
}
