using System.Net;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Tests.Sip.Transport;

public sealed class SipUdpTransportContractTests : SipTransportContract
{
    private protected override SipTransportKind Kind => SipTransportKind.Udp;

    // RFC 5626 §4.4.1 double-CRLF ping, a bare CRLF, and the empty datagram some NATed phones send.
    private protected override IReadOnlyList<byte[]> KeepAlives { get; } = ["\r\n\r\n"u8.ToArray(), "\r\n"u8.ToArray(), []];

    private protected override Task<SipTestPeer> ConnectAsync(IPEndPoint server) => Task.FromResult<SipTestPeer>(new UdpTestPeer(server));

    private protected override void AssertConnection(in SipRemote source) => Assert.Equal(0, source.ConnectionId);
}
