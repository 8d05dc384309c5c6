using CallTracking.Engine.Security;

namespace CallTracking.Engine.Api;

/// <summary>
/// Who a request is: the key's (or dashboard user's) organisation, every organisation it may see — itself and, for an
/// agency admin, its clients (and their clients) — its <see cref="Security.Role"/>, and for an agent the destination
/// that makes a call theirs.
/// </summary>
public sealed record ApiPrincipal(string KeyPrefix, Guid OrganisationId, IReadOnlyList<Guid> VisibleOrganisations, Role Role = Role.OrgAdmin, string? AgentDestination = null)
{
    /// <summary>An agency key: its organisation has clients.</summary>
    public bool IsAgency => VisibleOrganisations.Count > 1;

    /// <summary>
    /// Who acted, for the audit trail: <c>key:PREFIX</c> for an API key, <c>user:NAME</c> for a dashboard session
    /// (whose <see cref="KeyPrefix"/> already reads <c>user:NAME</c>).
    /// </summary>
    public string Actor => KeyPrefix.StartsWith("user:", StringComparison.Ordinal) ? KeyPrefix : "key:" + KeyPrefix;

    /// <summary>
    /// An agent's own calls are those with a leg to <see cref="AgentDestination"/> that was answered (bridged to
    /// them); an agent without a destination has no calls. Null for every other role: no restriction.
    /// </summary>
    public string? OwnCallsDestination => Role == Role.Agent ? AgentDestination ?? string.Empty : null;

    public bool CanSee(Guid organisationId) => VisibleOrganisations.Contains(organisationId);

    internal Guid[] Scope => [.. VisibleOrganisations];

    /// <summary>The organisations a principal of <paramref name="role"/> sees: only an agency admin sees the clients.</summary>
    internal static List<Guid> Visible(Role role, Guid organisationId, IEnumerable<Guid> descendants)
    {
        var ordered = new List<Guid> { organisationId };
        if (role == Role.AgencyAdmin)
        {
            ordered.AddRange(descendants.Where(id => id != organisationId));
        }

        return ordered;
    }
}
