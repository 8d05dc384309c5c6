namespace CallTracking.Engine.Sip.Outbound.Dns;

/// <summary>A parsed DNS response: header flags and every record of the answer and additional sections.</summary>
public sealed record DnsResponse(ushort Id, DnsResponseCode ResponseCode, bool Truncated, IReadOnlyList<DnsRecord> Answers, IReadOnlyList<DnsRecord> Additional);
