using System.Net;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Core;

/// <summary>Where a response to a received request goes (RFC 3261 §18.2.2 with RFC 3581 §4 rport).</summary>
public static class ResponseRouting
{
    private const int DefaultSipPort = 5060;

    public static SipRemote Destination(SipMessage request, in SipRemote source)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Reliable transports: back on the connection the request arrived on; if it has closed, the transport
        // opens a new one to the same address.
        if (source.IsReliable)
        {
            return source;
        }

        var via = request.TopVia;

        // RFC 3581 §4: with rport the response goes to the source address and port, which is what makes
        // responses cross the NAT the request came through.
        if (via.HasRPort)
        {
            return source;
        }

        // RFC 3261 §18.2.2: otherwise to the received address (the packet's source) and the sent-by port.
        var port = via.Port != 0 ? via.Port : DefaultSipPort;
        return port == source.EndPoint.Port ? source : new SipRemote(SipTransportKind.Udp, new IPEndPoint(source.EndPoint.Address, port));
    }
}
