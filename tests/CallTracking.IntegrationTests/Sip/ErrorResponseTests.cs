using System.Net;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Sip;

/// <summary>
/// Rejections over real sockets, with hand-written requests (sipp cannot send broken ones). Each test checks the
/// bytes that came back: status line, reason phrase and the header the rejection is defined by.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class ErrorResponseTests : IClassFixture<EngineFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);
    private readonly EngineProcess _engine;

    public ErrorResponseTests(EngineFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _engine = fixture.Engine;
    }

    private int Port => _engine.SipPort;

    [Fact]
    public async Task Cseq_that_is_not_a_number_gets_400_naming_the_cseq()
    {
        using var udp = new RawSipUdp(Port);
        await udp.SendAsync(Request("OPTIONS", udp.LocalEndPoint).Replace("CSeq: 1 OPTIONS", "CSeq: one OPTIONS", StringComparison.Ordinal));

        var response = await ReceiveAsync(udp);
        Assert.Equal("SIP/2.0 400 Bad Request - Malformed CSeq", StatusLine(response));
        Assert.Equal("one OPTIONS", Header(response, "CSeq"));
    }

    /// <summary>
    /// A response must carry the request's Call-ID (RFC 3261 §8.2.6.2); without one the engine drops the request
    /// (logged as malformed) instead of sending a response that is itself malformed. As with the scanner, an
    /// ordinary request sent after it on the same socket shows that nothing came back for the first.
    /// </summary>
    [Fact]
    public async Task Request_without_call_id_is_dropped()
    {
        using var udp = new RawSipUdp(Port);
        var request = Request("OPTIONS", udp.LocalEndPoint);
        await udp.SendAsync(string.Join("\r\n", request.Split("\r\n").Where(l => !l.StartsWith("Call-ID:", StringComparison.Ordinal))));
        await udp.SendAsync(Request("OPTIONS", udp.LocalEndPoint, callId: "after-missing-call-id"));

        var response = await ReceiveAsync(udp);
        Assert.Equal("SIP/2.0 200 OK", StatusLine(response));
        Assert.Equal("after-missing-call-id", Header(response, "Call-ID"));
        Assert.Null(await udp.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Sip_version_other_than_2_0_gets_505()
    {
        using var udp = new RawSipUdp(Port);
        await udp.SendAsync(Request("OPTIONS", udp.LocalEndPoint).Replace(" SIP/2.0\r\n", " SIP/3.0\r\n", StringComparison.Ordinal));

        var response = await ReceiveAsync(udp);
        Assert.Equal("SIP/2.0 505 SIP Version Not Supported", StatusLine(response));
    }

    [Theory]
    [InlineData("MESSAGE")]
    [InlineData("REGISTER")]
    public async Task Unsupported_method_gets_405_with_allow(string method)
    {
        using var udp = new RawSipUdp(Port);
        await udp.SendAsync(Request(method, udp.LocalEndPoint));

        var response = await ReceiveAsync(udp);
        Assert.Equal("SIP/2.0 405 Method Not Allowed", StatusLine(response));
        Assert.Equal("INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE", Header(response, "Allow"));
    }

    [Fact]
    public async Task Required_extensions_we_lack_get_420_listing_them_in_unsupported()
    {
        using var udp = new RawSipUdp(Port);
        var invite = Invite(udp.LocalEndPoint, extraHeaders: "Require: 100rel, foo\r\n");
        await udp.SendAsync(invite);

        var response = await ReceiveFinalAsync(udp);
        Assert.Equal("SIP/2.0 420 Bad Extension", StatusLine(response));
        Assert.Equal("100rel, foo", Header(response, "Unsupported"));
        await udp.SendAsync(AckFor(invite, response));
    }

    [Fact]
    public async Task Max_forwards_zero_gets_483()
    {
        using var udp = new RawSipUdp(Port);
        await udp.SendAsync(Request("OPTIONS", udp.LocalEndPoint).Replace("Max-Forwards: 70", "Max-Forwards: 0", StringComparison.Ordinal));

        var response = await ReceiveAsync(udp);
        Assert.Equal("SIP/2.0 483 Too Many Hops", StatusLine(response));
    }

    [Fact]
    public async Task Bye_for_an_unknown_dialog_gets_481()
    {
        using var udp = new RawSipUdp(Port);
        await udp.SendAsync(Request("BYE", udp.LocalEndPoint).Replace($"To: <sip:{EngineConfigs.TrackedNumber}@127.0.0.1:{Port}>", $"To: <sip:{EngineConfigs.TrackedNumber}@127.0.0.1:{Port}>;tag=nosuchdialog", StringComparison.Ordinal));

        var response = await ReceiveAsync(udp);
        Assert.Equal("SIP/2.0 481 Call/Transaction Does Not Exist", StatusLine(response));
    }

    [Fact]
    public async Task Session_interval_below_min_se_gets_422_with_min_se()
    {
        using var udp = new RawSipUdp(Port);
        var invite = Invite(udp.LocalEndPoint, extraHeaders: "Supported: timer\r\nSession-Expires: 60\r\n");
        await udp.SendAsync(invite);

        var response = await ReceiveFinalAsync(udp);
        Assert.Equal("SIP/2.0 422 Session Interval Too Small", StatusLine(response));
        Assert.Equal("90", Header(response, "Min-SE"));
        await udp.SendAsync(AckFor(invite, response));
    }

    [Fact]
    public async Task Offer_of_g729_only_gets_488()
    {
        using var udp = new RawSipUdp(Port);
        var invite = Invite(udp.LocalEndPoint, sdpMedia: "m=audio 40000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n");
        await udp.SendAsync(invite);

        var response = await ReceiveFinalAsync(udp);
        Assert.Equal("SIP/2.0 488 Not Acceptable Here", StatusLine(response));
        Assert.StartsWith("305 ", Header(response, "Warning"), StringComparison.Ordinal);
        await udp.SendAsync(AckFor(invite, response));
    }

    [Fact]
    public async Task Options_over_tcp_gets_200_with_allow()
    {
        using var tcp = await RawSipTcp.ConnectAsync(Port);
        await tcp.SendAsync(Request("OPTIONS", tcp.LocalEndPoint, "TCP"));

        var response = await tcp.ReceiveAsync(Wait) ?? throw new Xunit.Sdk.XunitException($"No response over TCP.\n{_engine.LogTail()}");
        Assert.Equal("SIP/2.0 200 OK", StatusLine(response));
        Assert.Equal("INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE", Header(response, "Allow"));
    }

    /// <summary>
    /// Silence cannot be waited for, so the scanner's request is followed on the same socket by an ordinary
    /// one, which a stranger gets 403 for: the first answer to arrive must be that 403, not anything for the scanner.
    /// </summary>
    [Fact]
    public async Task Scanner_outside_the_allow_list_gets_no_answer_at_all()
    {
        using var udp = new RawSipUdp(Port, IPAddress.Parse("127.0.0.2"));
        var scan = Request("OPTIONS", udp.LocalEndPoint, callId: "scan-1").Replace("Max-Forwards: 70", "Max-Forwards: 70\r\nUser-Agent: friendly-scanner", StringComparison.Ordinal);
        await udp.SendAsync(scan);
        await udp.SendAsync(Request("OPTIONS", udp.LocalEndPoint, callId: "plain-2"));

        var response = await ReceiveAsync(udp);
        Assert.Equal("SIP/2.0 403 Forbidden", StatusLine(response));
        Assert.Equal("plain-2", Header(response, "Call-ID"));
        Assert.Null(await udp.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    private async Task<string> ReceiveAsync(RawSipUdp udp) =>
        await udp.ReceiveAsync(Wait) ?? throw new Xunit.Sdk.XunitException($"No response within {Wait.TotalSeconds} s.\n--- engine log ---\n{_engine.LogTail()}");

    /// <summary>Skips 100 Trying.</summary>
    private async Task<string> ReceiveFinalAsync(RawSipUdp udp)
    {
        while (true)
        {
            var response = await ReceiveAsync(udp);
            if (!response.StartsWith("SIP/2.0 1", StringComparison.Ordinal))
            {
                return response;
            }
        }
    }

    private string Request(string method, IPEndPoint local, string transport = "UDP", string? callId = null, string extraHeaders = "", string body = "", string contentType = "")
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        return $"{method} sip:{EngineConfigs.TrackedNumber}@127.0.0.1:{Port} SIP/2.0\r\n" +
            $"Via: SIP/2.0/{transport} {local.Address}:{local.Port};branch=z9hG4bK-{tag};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:+15550000001@{local.Address}:{local.Port}>;tag={tag}\r\n" +
            $"To: <sip:{EngineConfigs.TrackedNumber}@127.0.0.1:{Port}>\r\n" +
            $"Call-ID: {callId ?? "raw-" + tag}\r\n" +
            $"CSeq: 1 {method}\r\n" +
            $"Contact: <sip:+15550000001@{local.Address}:{local.Port}>\r\n" +
            extraHeaders +
            (contentType.Length > 0 ? $"Content-Type: {contentType}\r\n" : string.Empty) +
            $"Content-Length: {body.Length}\r\n\r\n" + body;
    }

    private string Invite(IPEndPoint local, string extraHeaders = "", string sdpMedia = "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
    {
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + sdpMedia;
        return Request("INVITE", local, extraHeaders: extraHeaders, body: sdp, contentType: "application/sdp");
    }

    /// <summary>RFC 3261 §17.1.1.3: the ACK for a non-2xx final: same branch and Call-ID, the response's To.</summary>
    private static string AckFor(string invite, string response)
    {
        var lines = invite.Split("\r\n\r\n")[0].Split("\r\n");
        string Line(string name) => lines.First(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        var requestUri = lines[0].Split(' ')[1];
        return $"ACK {requestUri} SIP/2.0\r\n{Line("Via")}\r\nMax-Forwards: 70\r\n{Line("From")}\r\nTo: {Header(response, "To")}\r\n{Line("Call-ID")}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
    }

    private static string StatusLine(string response) => response.Split("\r\n")[0];

    private static string? Header(string message, string name) =>
        message.Split("\r\n\r\n")[0].Split("\r\n").Skip(1)
            .Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(name.Length + 1)..].Trim())
            .FirstOrDefault();
}
