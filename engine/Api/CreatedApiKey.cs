namespace CallTracking.Engine.Api;

/// <summary>A new key: shown once (<see cref="Key"/>), stored as its prefix and a hash.</summary>
public sealed record CreatedApiKey(string Prefix, string Key)
{
    public Guid OrganisationId { get; init; }

    /// <summary>The role stored with the key (<see cref="Security.RoleNames"/>).</summary>
    public string Role { get; init; } = "org_admin";
}
