using System.Net;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Tests.Sip.Transport;

public sealed class SipTcpTransportContractTests : SipTransportContract
{
    private protected override SipTransportKind Kind => SipTransportKind.Tcp;

    // RFC 5626 §3.5.1: CRLFCRLF ping; a lone CRLF is what RFC 3261 §7.5 says to skip before a start line.
    private protected override IReadOnlyList<byte[]> KeepAlives { get; } = ["\r\n\r\n"u8.ToArray(), "\r\n"u8.ToArray()];

    private protected override async Task<SipTestPeer> ConnectAsync(IPEndPoint server) => await TcpTestPeer.ConnectAsync(server);

    // Responses must be able to name the connection the request came on (RFC 3261 §18.2.2).
    private protected override void AssertConnection(in SipRemote source) => Assert.NotEqual(0, source.ConnectionId);
}
