namespace CallTracking.Engine.Sip.Outbound.Dns;

/// <summary>RFC 1035 §4.1.1 RCODE values we act on.</summary>
public enum DnsResponseCode : byte
{
    NoError = 0,
    FormatError = 1,
    ServerFailure = 2,
    NameError = 3,
    NotImplemented = 4,
    Refused = 5,
}
