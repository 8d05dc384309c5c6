namespace CallTracking.Engine.Sip.Outbound.Dns;

/// <summary>Why an answer from a name server could not be read.</summary>
public enum DnsParseError
{
    None = 0,
    TooShort,
    NotAResponse,
    BadName,
    CompressionLoop,
    RecordTruncated,
    BadRecordData,
}
