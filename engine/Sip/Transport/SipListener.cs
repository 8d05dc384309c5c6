using System.Net;

namespace CallTracking.Engine.Sip.Transport;

/// <summary>A bound SIP listening socket: what Via and Contact headers of messages sent from it name.</summary>
public sealed record SipListener(SipTransportKind Transport, IPEndPoint LocalEndPoint)
{
    /// <summary>"UDP", "TCP" or "TLS" as written in a Via header (RFC 3261 §20.42).</summary>
    public string ViaTransport => Transport switch
    {
        SipTransportKind.Udp => "UDP",
        SipTransportKind.Tcp => "TCP",
        _ => "TLS",
    };

    public override string ToString() => $"{ViaTransport.ToLowerInvariant()}:{LocalEndPoint}";
}
