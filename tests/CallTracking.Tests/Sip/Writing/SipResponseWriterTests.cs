using System.Buffers;
using System.Net;
using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Writing;

namespace CallTracking.Tests.Sip.Writing;

public sealed class SipResponseWriterTests
{
    private static SipMessage Parse(byte[] bytes)
    {
        var m = new SipMessage();
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParse(new ReadOnlySequence<byte>(bytes), true, m, out _, out _));
        return m;
    }

    private static string S(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);

    [Fact]
    public void Ok_to_twilio_invite_echoes_vias_adds_to_tag_and_parses_back()
    {
        using SipMessage invite = Parse(SipTestMessages.TwilioInvite);
        var output = new ArrayBufferWriter<byte>();
        byte[] sdp = "v=0\r\no=- 1 1 IN IP4 203.0.113.10\r\ns=-\r\nc=IN IP4 203.0.113.10\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0 101\r\n"u8.ToArray();
        SipResponseWriter.Write(output, invite, 200, "OK"u8, "ct-9a8b7c"u8,
            new ViaReceived(IPAddress.Parse("54.172.60.1"), 5060),
            "Contact: <sip:+15551230001@203.0.113.10:5060>\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"u8,
            "application/sdp"u8, sdp);

        string text = S(output.WrittenSpan);
        Assert.StartsWith("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 54.172.60.1:5060;branch=z9hG4bK6f4b.8d2c1a0e5b7f9c3d1e2f4a6b8c0d1e2f.0;rport=5060;received=54.172.60.1\r\nVia: SIP/2.0/UDP 172.18.32.14:5060;branch=z9hG4bK2c1d5e7a;received=172.18.32.14\r\n", text, StringComparison.Ordinal);

        using SipMessage ok = Parse(output.WrittenSpan.ToArray());
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("ct-9a8b7c", S(ok.ToTag));
        Assert.Equal(S(invite.FromTag), S(ok.FromTag));
        Assert.Equal(S(invite.CallId), S(ok.CallId));
        Assert.Equal(101u, ok.CSeqNumber);
        Assert.Equal(SipMethod.Invite, ok.CSeqMethod);
        Assert.Equal(sdp.Length, ok.ContentLength);
        Assert.Equal(sdp, ok.Body.ToArray());
        Assert.True(ok.TryGetHeader(HeaderKind.Contact, out _));
        Assert.True(ok.TryGetHeader(HeaderKind.ContentType, out ReadOnlySpan<byte> ct));
        Assert.Equal("application/sdp", S(ct));
        Assert.Equal(5060, ok.TopVia.RPort);
        Assert.Equal("54.172.60.1", S(ok.TopVia.Received));
    }

    [Fact]
    public void Trying_never_adds_a_to_tag_and_received_follows_nat()
    {
        using SipMessage invite = Parse(SipTestMessages.SippInvite);
        var output = new ArrayBufferWriter<byte>();
        SipResponseWriter.Write(output, invite, 100, "Trying"u8, "never"u8, new ViaReceived(new IPEndPoint(IPAddress.Parse("198.51.100.9"), 40123)), default, default, default);
        string text = S(output.WrittenSpan);
        Assert.StartsWith("SIP/2.0 100 Trying\r\nVia: SIP/2.0/UDP 192.168.1.20:5061;branch=z9hG4bK-4231-1-0;rport=40123;received=198.51.100.9\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nTo: service <sip:service@203.0.113.10:5060>\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("Content-Length: 0\r\n\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tag=never", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Received_is_omitted_when_sent_by_matches_and_no_rport()
    {
        using SipMessage bye = Parse(SipTestMessages.MultiViaBye);
        var output = new ArrayBufferWriter<byte>();
        SipResponseWriter.Write(output, bye, 481, "Call/Transaction Does Not Exist"u8, "x"u8, default, default, default, default);
        string text = S(output.WrittenSpan);
        // Two Vias on one line stay on one line; nothing is added without a source address.
        Assert.Contains("\r\nVia: SIP/2.0/UDP proxy2.example.net:5060;branch=z9hG4bK721e418c4.1, SIP/2.0/UDP proxy1.example.net;branch=z9hG4bKnashds7;received=192.0.2.3\r\nVia: SIP/2.0/UDP 203.0.113.99:5060;branch=z9hG4bKbye3;rport=5060;received=203.0.113.99\r\n", text, StringComparison.Ordinal);
        // The existing To tag is kept, no second one is added.
        Assert.Contains(";tag=83612283_6772d868_4fcb0a34-7c37-4b1e-9d0c-2fa85ae81b1f\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(";tag=x", text, StringComparison.Ordinal);

        using SipMessage options = Parse(SipTestMessages.Build("""
            OPTIONS sip:a@203.0.113.10 SIP/2.0
            Via: SIP/2.0/UDP 198.51.100.5:5060;branch=z9hG4bKsame
            From: <sip:a@b>;tag=1
            To: <sip:a@b>
            Call-ID: same
            CSeq: 1 OPTIONS
            Content-Length: 0

            """, ""));
        output.Clear();
        SipResponseWriter.Write(output, options, 200, "OK"u8, "t"u8, new ViaReceived(IPAddress.Parse("198.51.100.5"), 5060), default, default, default);
        Assert.Contains("\r\nVia: SIP/2.0/UDP 198.51.100.5:5060;branch=z9hG4bKsame\r\n", S(output.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv6_source_is_written_without_brackets()
    {
        using SipMessage invite = Parse(SipTestMessages.Ipv6Invite);
        var output = new ArrayBufferWriter<byte>();
        SipResponseWriter.Write(output, invite, 180, "Ringing"u8, "r1"u8, new ViaReceived(IPAddress.Parse("2001:db8::99"), 5062), default, default, default);
        Assert.Contains("Via: SIP/2.0/UDP [2001:db8::99]:5062;branch=z9hG4bKv6one;rport=5062;received=2001:db8::99\r\n", S(output.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_builds_a_request_that_parses()
    {
        var output = new ArrayBufferWriter<byte>();
        var w = new SipWriter(output);
        w.WriteRequestLine(SipMethod.Bye, "sip:+15559870002@54.172.60.1:5060"u8);
        w.WriteHeader("Via"u8, "SIP/2.0/UDP 203.0.113.10:5060;branch=z9hG4bKw1;rport"u8);
        w.WriteHeader("Max-Forwards"u8, 70);
        w.WriteHeaderLine("From: <sip:a@203.0.113.10>;tag=a"u8);
        w.WriteHeader(HeaderKind.To, "<sip:b@54.172.60.1>;tag=b"u8);
        w.WriteHeader("Call-ID"u8, "w1@203.0.113.10"u8);
        w.WriteHeader("CSeq"u8, "2 BYE"u8);
        w.EndHeaders(default, default);
        Assert.Equal(output.WrittenCount, w.BytesWritten);
        using SipMessage m = new();
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParse(new ReadOnlySequence<byte>(output.WrittenMemory), false, m, out _, out _));
        Assert.Equal(SipMethod.Bye, m.Method);
        Assert.Equal(70, m.MaxForwards);
        Assert.Equal(0, m.ContentLength);
    }
}
