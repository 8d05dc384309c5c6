using System.Buffers;
using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;

namespace CallTracking.Tests.Sip;

/// <summary>Parses test text into a <see cref="SipMessage"/>, failing the test when it does not parse.</summary>
internal static class ParsedMessage
{
    public static SipMessage From(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text.ReplaceLineEndings("\r\n"));
        var message = new SipMessage();
        var status = SipParser.TryParse(new ReadOnlySequence<byte>(bytes), isDatagram: true, message, out _, out var error);
        Assert.True(status == SipParseStatus.Complete, $"test message did not parse: {error}");
        return message;
    }

    /// <summary>A minimal INVITE with the given extra header lines (each ending in CRLF) and no body.</summary>
    public static SipMessage Invite(string extraHeaders = "", string requestUri = "sip:+15551230001@127.0.0.1:5060") => From(
        $"INVITE {requestUri} SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: \"Caller\" <sip:+15557654321@10.0.0.1>;tag=abc\r\n" +
        "To: <sip:+15551230001@127.0.0.1>\r\n" +
        "Call-ID: call-1@10.0.0.1\r\n" +
        "CSeq: 10 INVITE\r\n" +
        "Contact: <sip:caller@10.0.0.1:5070;transport=udp>\r\n" +
        extraHeaders +
        "Content-Length: 0\r\n\r\n");
}
