namespace CallTracking.Engine.Sip.Outbound.Dns;

/// <summary>The resource record types SIP resolution needs (RFC 1035 §3.2.2, RFC 3596, RFC 2782).</summary>
public enum DnsRecordType : ushort
{
    A = 1,
    Cname = 5,
    Aaaa = 28,
    Srv = 33,
}
