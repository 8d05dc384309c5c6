namespace CallTracking.Engine.Sip.Trunks;

/// <summary>Digest credentials (RFC 3261 §22.4) for one trunk and direction.</summary>
public sealed record TrunkCredentials(string Username, string Password, string Realm)
{
    /// <summary>Realm used when the configuration names none.</summary>
    public const string DefaultRealm = "calltracking";

    // Keep the password out of logs and exception messages.
    public override string ToString() => $"{Username}@{Realm}";
}
