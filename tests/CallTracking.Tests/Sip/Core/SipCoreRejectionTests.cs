using CallTracking.Engine.Sip.Messages;
using static CallTracking.Tests.Sip.Core.CoreHarness;

namespace CallTracking.Tests.Sip.Core;

public sealed class SipCoreRejectionTests
{
    private static string Request(string method, string branch, string headers = "") =>
        $"{method} sip:127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5070;branch={branch}\r\nMax-Forwards: 70\r\n" +
        $"From: <sip:a@10.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: r-{branch}\r\nCSeq: 1 {method}\r\n{headers}Content-Length: 0\r\n\r\n";

    [Fact]
    public async Task Unknown_number_gets_404_and_no_call()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch(), number: "+15550000000"));
        Assert.Single(h.Transport.Responses(404));
        Assert.Equal(0, h.Core.ActiveCalls);
        Assert.Equal(0, h.Ports.InUse);
    }

    [Fact]
    public async Task Source_outside_every_allow_list_gets_403_and_scanners_get_nothing()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch()), Stranger);
        Assert.Single(h.Transport.Responses(403));
        h.Receive(Request("OPTIONS", h.NextBranch(), "User-Agent: friendly-scanner\r\n"), Stranger);
        Assert.Single(h.Transport.Sent);
    }

    [Fact]
    public async Task Out_of_dialog_OPTIONS_gets_200_with_Allow_and_Supported()
    {
        await using var h = new CoreHarness();
        h.Receive(Request("OPTIONS", h.NextBranch()));
        var ok = Assert.Single(h.Transport.Responses(200));
        Assert.Equal("INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE", Header(ok, HeaderKind.Allow));
        Assert.Equal("timer", Header(ok, HeaderKind.Supported));
    }

    [Theory]
    [InlineData("REGISTER")]
    [InlineData("MESSAGE")]
    [InlineData("SUBSCRIBE")]
    public async Task Unsupported_method_gets_405_with_Allow(string method)
    {
        await using var h = new CoreHarness();
        h.Receive(Request(method, h.NextBranch()));
        Assert.NotEmpty(Header(Assert.Single(h.Transport.Responses(405)), HeaderKind.Allow));
    }

    [Fact]
    public async Task Unknown_Require_option_gets_420_listing_what_we_do_not_support()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch(), headers: "Require: timer, 100rel, foo\r\n"));
        Assert.Equal("100rel, foo", Header(Assert.Single(h.Transport.Responses(420)), HeaderKind.Unsupported));
        Assert.Equal(0, h.Core.ActiveCalls);
    }

    [Fact]
    public async Task Max_Forwards_zero_gets_483()
    {
        await using var h = new CoreHarness();
        h.Receive(Request("OPTIONS", h.NextBranch()).Replace("Max-Forwards: 70", "Max-Forwards: 0", StringComparison.Ordinal));
        Assert.Single(h.Transport.Responses(483));
    }

    [Fact]
    public async Task Session_interval_below_our_minimum_gets_422_with_Min_SE()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch(), headers: "Supported: timer\r\nSession-Expires: 60\r\n"));
        Assert.Equal("90", Header(Assert.Single(h.Transport.Responses(422)), HeaderKind.MinSE));
    }

    [Fact]
    public async Task Offer_without_a_common_codec_gets_488_and_frees_the_port()
    {
        await using var h = new CoreHarness();
        var g729 = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n";
        h.Receive(Invite(h.NextBranch(), sdp: g729));
        var refused = Assert.Single(h.Transport.Responses(488));
        Assert.Contains("G729", Header(refused, HeaderKind.Warning), StringComparison.Ordinal);
        Assert.Equal(0, h.Ports.InUse);
    }

    [Fact]
    public async Task Body_that_is_not_sdp_gets_415_with_Accept()
    {
        await using var h = new CoreHarness();
        h.Receive(Invite(h.NextBranch()).Replace("Content-Type: application/sdp", "Content-Type: text/plain", StringComparison.Ordinal));
        Assert.Equal("application/sdp", Header(Assert.Single(h.Transport.Responses(415)), HeaderKind.Accept));
    }

    [Fact]
    public async Task No_free_media_port_gets_503_with_Retry_After()
    {
        await using var h = new CoreHarness(portPairs: 1);
        h.Receive(Invite(h.NextBranch(), callId: "a"));
        h.Receive(Invite(h.NextBranch(), callId: "b"));
        Assert.Single(h.Transport.Responses(200));
        Assert.NotEmpty(Header(Assert.Single(h.Transport.Responses(503)), HeaderKind.RetryAfter));
    }

    [Fact]
    public async Task Malformed_request_gets_400_naming_the_fault()
    {
        await using var h = new CoreHarness();
        h.Receive(Request("OPTIONS", h.NextBranch()).Replace("Max-Forwards: 70", "Max-Forwards: many", StringComparison.Ordinal));
        var bad = Assert.Single(h.Transport.Responses(400));
        Assert.Contains("Max-Forwards", System.Text.Encoding.ASCII.GetString(bad.ReasonPhrase), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_for_nothing_gets_481()
    {
        await using var h = new CoreHarness();
        h.Receive(Request("CANCEL", h.NextBranch()));
        Assert.Single(h.Transport.Responses(481));
    }
}
