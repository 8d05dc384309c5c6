using System.Net;

namespace CallTracking.Engine.Sip.Outbound.Dns;

/// <summary>
/// One answer record. <see cref="Address"/> is set for A/AAAA; <see cref="Target"/>, <see cref="Priority"/>,
/// <see cref="Weight"/> and <see cref="Port"/> for SRV (RFC 2782); <see cref="Target"/> alone for CNAME.
/// </summary>
public sealed record DnsRecord(string Name, DnsRecordType Type, uint TimeToLive)
{
    public IPAddress? Address { get; init; }

    public string Target { get; init; } = string.Empty;

    public ushort Priority { get; init; }

    public ushort Weight { get; init; }

    public ushort Port { get; init; }
}
