namespace CallTracking.Engine.Sip.Outbound.Dns;

/// <summary>The records of the asked type (and of the additional section, which SRV answers often fill with the
/// targets' addresses), or why there are none.</summary>
public sealed record DnsQueryResult(DnsQueryStatus Status, IReadOnlyList<DnsRecord> Records, IReadOnlyList<DnsRecord> Additional)
{
    public static DnsQueryResult Failed(DnsQueryStatus status) => new(status, [], []);
}
