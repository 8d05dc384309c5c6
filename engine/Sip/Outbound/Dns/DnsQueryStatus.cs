namespace CallTracking.Engine.Sip.Outbound.Dns;

/// <summary>How a lookup ended.</summary>
public enum DnsQueryStatus
{
    Ok = 0,
    /// <summary>NXDOMAIN (RFC 1035 RCODE 3): the name does not exist.</summary>
    NameError,
    /// <summary>SERVFAIL, REFUSED or another error code from every server.</summary>
    ServerFailure,
    /// <summary>No server answered in time.</summary>
    Timeout,
    /// <summary>A server answered with something that is not a valid DNS response.</summary>
    Malformed,
    /// <summary>The name cannot be put in a query.</summary>
    BadName,
}
