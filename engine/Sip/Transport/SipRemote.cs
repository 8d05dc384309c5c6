using System.Net;

namespace CallTracking.Engine.Sip.Transport;

/// <summary>
/// Where a message came from or goes to. <see cref="ConnectionId"/> names the TCP/TLS
/// connection a request arrived on so its responses reuse it (RFC 3261 §18.2.2);
/// it is 0 for UDP and for "open a connection if needed".
/// </summary>
public readonly record struct SipRemote(SipTransportKind Transport, IPEndPoint EndPoint, long ConnectionId = 0)
{
    public bool IsReliable => Transport != SipTransportKind.Udp;
}
