using System.Net;
using CallTracking.Engine.Sip.Core;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Tests.Sip.Core;

public sealed class ResponseRoutingTests
{
    private static SipRemote Udp(string address, int port) => new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse(address), port));

    [Fact]
    public void Udp_without_rport_goes_to_source_address_and_sent_by_port()
    {
        using var request = ParsedMessage.From(
            "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bK-1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        var destination = ResponseRouting.Destination(request, Udp("198.51.100.7", 40000));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 5070), destination.EndPoint);
    }

    [Fact]
    public void Udp_with_rport_goes_back_to_source_address_and_port()
    {
        using var request = ParsedMessage.From(
            "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5070;rport;branch=z9hG4bK-1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        var destination = ResponseRouting.Destination(request, Udp("198.51.100.7", 40000));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000), destination.EndPoint);
    }

    [Fact]
    public void Udp_without_port_in_sent_by_uses_5060()
    {
        using var request = ParsedMessage.From(
            "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP carrier.example.com;branch=z9hG4bK-1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        var destination = ResponseRouting.Destination(request, Udp("198.51.100.7", 40000));
        Assert.Equal(5060, destination.EndPoint.Port);
    }

    [Fact]
    public void Tcp_reuses_the_connection_the_request_came_on()
    {
        using var request = ParsedMessage.From(
            "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.10:5070;branch=z9hG4bK-1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        var source = new SipRemote(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000), 42);
        Assert.Equal(source, ResponseRouting.Destination(request, source));
    }
}
