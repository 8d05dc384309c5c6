namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>sipp's -t: u1 (one UDP socket) or t1 (one TCP connection).</summary>
public enum SippTransport
{
    Udp,
    Tcp,
}
