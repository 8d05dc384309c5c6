namespace CallTracking.Engine.Configuration;

/// <summary>The <c>Trunks:N:Inbound</c> section: digest credentials the carrier must present on INVITE.</summary>
public sealed class TrunkInboundOptions
{
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Realm named in the challenge; defaults to <c>calltracking</c>.</summary>
    public string? Realm { get; set; }
}
