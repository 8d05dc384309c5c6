using System.Diagnostics.CodeAnalysis;

namespace CallTracking.Engine.Security;

/// <summary>The stored and typed names of <see cref="Role"/>s: <c>agency_admin</c>, <c>org_admin</c>, <c>manager</c>, <c>analyst</c>, <c>agent</c>.</summary>
public static class RoleNames
{
    public static readonly IReadOnlyList<string> All = ["agency_admin", "org_admin", "manager", "analyst", "agent"];

    public static string Name(Role role) => role switch
    {
        Role.AgencyAdmin => "agency_admin",
        Role.OrgAdmin => "org_admin",
        Role.Manager => "manager",
        Role.Analyst => "analyst",
        Role.Agent => "agent",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? name, [NotNullWhen(true)] out Role? role)
    {
        role = name?.Trim().ToLowerInvariant().Replace('-', '_') switch
        {
            "agency_admin" => Role.AgencyAdmin,
            "org_admin" or "organisation_admin" => Role.OrgAdmin,
            "manager" => Role.Manager,
            "analyst" => Role.Analyst,
            "agent" => Role.Agent,
            _ => null,
        };
        return role is not null;
    }
}
