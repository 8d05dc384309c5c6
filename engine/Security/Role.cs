namespace CallTracking.Engine.Security;

/// <summary>
/// What an API key or dashboard user may do (<c>api_keys.role</c>, <c>dashboard_users.role</c>); which endpoint
/// allows which roles is <see cref="AccessPolicy"/>.
/// </summary>
public enum Role
{
    /// <summary>Administers an agency: its own organisation and every client organisation under it (organisations.parent_id).</summary>
    AgencyAdmin,

    /// <summary>Administers one organisation: configuration, keys, audit trail, recordings, transcripts.</summary>
    OrgAdmin,

    /// <summary>Runs an organisation's campaigns and numbers; hears recordings; no trunks, no audit trail.</summary>
    Manager,

    /// <summary>Reads calls, reports and transcripts; never audio (no recording download, no links, no pause).</summary>
    Analyst,

    /// <summary>Sees only their own calls (bridged to their destination) with their recordings and transcripts; may pause their call's recording.</summary>
    Agent,
}
