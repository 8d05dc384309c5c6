using System.Buffers;
using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;

namespace CallTracking.Tests.Sip.Parsing;

public sealed class SipParserInvalidTests
{
    private const string Template = """
        OPTIONS sip:203.0.113.10:5060 SIP/2.0
        Via: SIP/2.0/UDP 54.172.60.2:5060;branch=z9hG4bKopt1;rport
        Max-Forwards: 70
        From: <sip:ping@pstn.twilio.com>;tag=opt-1
        To: <sip:203.0.113.10:5060>
        Call-ID: options-1@54.172.60.2
        CSeq: 1 OPTIONS
        Content-Length: 0

        """;

    /// <summary>The template with one line replaced (or removed when the replacement is null).</summary>
    private static byte[] With(string linePrefix, string? replacement)
    {
        var lines = Template.Split('\n').ToList();
        int i = lines.FindIndex(l => l.StartsWith(linePrefix, StringComparison.Ordinal));
        Assert.True(i >= 0, linePrefix);
        if (replacement is null)
        {
            lines.RemoveAt(i);
        }
        else
        {
            lines[i] = replacement;
        }
        return SipTestMessages.Build(string.Join('\n', lines), "");
    }

    public static TheoryData<string, string?, SipParseError> BadLines() => new()
    {
        { "Via:", null, SipParseError.MissingVia },
        { "From:", null, SipParseError.MissingFrom },
        { "To:", null, SipParseError.MissingTo },
        { "Call-ID:", null, SipParseError.MissingCallId },
        { "CSeq:", null, SipParseError.MissingCSeq },
        { "OPTIONS", "OPTIONS sip:203.0.113.10:5060", SipParseError.BadStartLine },
        { "OPTIONS", "OPTIONS  sip:203.0.113.10:5060 SIP/2.0", SipParseError.BadStartLine },
        { "OPTIONS", "OPTIONS sip:203.0.113.10:5060 SIP/3.0", SipParseError.BadVersion },
        { "OPTIONS", "OPTIONS sip:203.0.113.10:5060 HTTP/1.1", SipParseError.BadStartLine },
        { "OPTIONS", "OPT(ONS sip:203.0.113.10:5060 SIP/2.0", SipParseError.BadMethod },
        { "OPTIONS", "OPTIONS sip: SIP/2.0", SipParseError.BadRequestUri },
        { "OPTIONS", "OPTIONS sip:host:99999 SIP/2.0", SipParseError.BadRequestUri },
        { "OPTIONS", "OPTIONS nourischeme SIP/2.0", SipParseError.BadRequestUri },
        { "OPTIONS", "SIP/2.0 2000 OK", SipParseError.BadStatusCode },
        { "OPTIONS", "SIP/2.0 099 Too Low", SipParseError.BadStatusCode },
        { "OPTIONS", "SIP/2.0 2x0 OK", SipParseError.BadStatusCode },
        { "OPTIONS", "SIP/1.0 200 OK", SipParseError.BadVersion },
        { "Max-Forwards:", "Max-Forwards 70", SipParseError.BadHeaderLine },
        { "Max-Forwards:", ": 70", SipParseError.BadHeaderLine },
        { "Max-Forwards:", "Max Forwards: 70", SipParseError.BadHeaderLine },
        { "Max-Forwards:", "Max-Forwards: 7\00", SipParseError.BadHeaderLine },
        { "Max-Forwards:", "Max-Forwards: 256", SipParseError.BadMaxForwards },
        { "Max-Forwards:", "Max-Forwards: -1", SipParseError.BadMaxForwards },
        { "Max-Forwards:", "Max-Forwards:", SipParseError.BadMaxForwards },
        { "Via:", "Via: garbage", SipParseError.BadVia },
        { "Via:", "Via: SIP/2.0/UDP host:0x50;branch=z9hG4bK1", SipParseError.BadVia },
        { "Via:", "Via: SIP/2.0/UDP [2001:db8::1;branch=z9hG4bK1", SipParseError.BadVia },
        { "From:", "From: nobody", SipParseError.BadFrom },
        { "From:", "From: \"unterminated <sip:a@b>", SipParseError.BadFrom },
        { "To:", "To: <sip:a@b", SipParseError.BadTo },
        { "Call-ID:", "Call-ID: has space", SipParseError.BadCallId },
        { "CSeq:", "CSeq: abc OPTIONS", SipParseError.BadCSeq },
        { "CSeq:", "CSeq: 2147483648 OPTIONS", SipParseError.BadCSeq },
        { "CSeq:", "CSeq: 1", SipParseError.BadCSeq },
        { "CSeq:", "CSeq: 1 INVITE", SipParseError.CSeqMethodMismatch },
        { "CSeq:", "CSeq: 1 options", SipParseError.CSeqMethodMismatch },
        { "Content-Length:", "Content-Length: x", SipParseError.BadContentLength },
        { "Content-Length:", "Content-Length: +0", SipParseError.BadContentLength },
        { "Content-Length:", "Content-Length: 99999999999", SipParseError.BadContentLength },
        { "Content-Length:", "Content-Length: 0\nContent-Length: 0", SipParseError.BadContentLength },
        { "Content-Length:", "Content-Length: 10", SipParseError.BodyTruncated },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public void Datagram_with_a_bad_line_is_invalid_with_the_reason(string linePrefix, string? replacement, SipParseError expected)
    {
        byte[] bytes = With(linePrefix, replacement);
        using var m = new SipMessage();
        SipParseStatus status = SipParser.TryParse(new ReadOnlySequence<byte>(bytes), isDatagram: true, m, out SequencePosition consumed, out SipParseError error);
        Assert.Equal(SipParseStatus.Invalid, status);
        Assert.Equal(expected, error);
        Assert.Equal(new ReadOnlySequence<byte>(bytes).End, consumed);
        Assert.False(SipParseErrors.ReasonPhrase(error).IsEmpty);
    }

    [Fact]
    public void Invalid_request_keeps_what_a_400_needs()
    {
        byte[] bytes = With("Max-Forwards:", "Max-Forwards: lots");
        using var m = new SipMessage();
        SipParser.TryParse(new ReadOnlySequence<byte>(bytes), isDatagram: true, m, out _, out SipParseError error);
        Assert.Equal(SipParseError.BadMaxForwards, error);
        Assert.True(m.IsRequest);
        Assert.Equal(SipMethod.Options, m.Method);
        Assert.Equal("options-1@54.172.60.2", Encoding.ASCII.GetString(m.CallId));
        Assert.Equal("opt-1", Encoding.ASCII.GetString(m.FromTag));
        Assert.True(m.HasHeader(HeaderKind.To));
        Assert.Equal("z9hG4bKopt1", Encoding.ASCII.GetString(m.TopVia.Branch));
        Assert.Equal("Bad Request - Malformed Max-Forwards"u8.ToArray(), SipParseErrors.ReasonPhrase(error).ToArray());
    }

    [Fact]
    public void Stream_without_content_length_is_invalid_and_consumes_nothing()
    {
        byte[] bytes = With("Content-Length:", null);
        using var m = new SipMessage();
        var input = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(SipParseStatus.Invalid, SipParser.TryParse(input, isDatagram: false, m, out SequencePosition consumed, out SipParseError error));
        Assert.Equal(SipParseError.BadContentLength, error);
        Assert.Equal(input.Start, consumed);
        // The same message is fine as a datagram: the body is the rest.
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParse(input, isDatagram: true, m, out _, out _));
    }

    [Fact]
    public void Stream_message_with_bad_header_but_sound_framing_is_skipped()
    {
        byte[] bad = With("CSeq:", "CSeq: x OPTIONS");
        byte[] stream = [.. bad, .. SipTestMessages.Options];
        using var m = new SipMessage();
        var input = new ReadOnlySequence<byte>(stream);
        Assert.Equal(SipParseStatus.Invalid, SipParser.TryParse(input, false, m, out SequencePosition consumed, out SipParseError error));
        Assert.Equal(SipParseError.BadCSeq, error);
        Assert.Equal(bad.Length, input.Slice(input.Start, consumed).Length);
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParse(input.Slice(consumed), false, m, out _, out _));
    }

    [Fact]
    public void Oversized_header_section_on_a_stream_is_too_large()
    {
        byte[] bytes = [.. "OPTIONS sip:a@b SIP/2.0\r\nX-Pad: "u8, .. Enumerable.Repeat((byte)'a', SipMessage.MaxMessageSize), .. "\r\n\r\n"u8];
        using var m = new SipMessage();
        var input = SegmentedSequence.Split(bytes, 10, 40000);
        Assert.Equal(SipParseStatus.Invalid, SipParser.TryParse(input, false, m, out _, out SipParseError error));
        Assert.Equal(SipParseError.MessageTooLarge, error);
        Assert.Equal(SipParseStatus.Invalid, SipParser.TryParse(input, true, m, out _, out error));
        Assert.Equal(SipParseError.MessageTooLarge, error);
    }

    [Fact]
    public void Huge_content_length_on_a_stream_is_too_large_not_incomplete()
    {
        byte[] bytes = With("Content-Length:", "Content-Length: 2000000");
        using var m = new SipMessage();
        Assert.Equal(SipParseStatus.Invalid, SipParser.TryParse(new ReadOnlySequence<byte>(bytes), false, m, out _, out SipParseError error));
        Assert.Equal(SipParseError.MessageTooLarge, error);
    }

    [Fact]
    public void Too_many_header_lines_are_refused()
    {
        string extra = string.Concat(Enumerable.Repeat("X-A: b\n", SipMessage.MaxHeaders));
        byte[] bytes = SipTestMessages.Build(Template.Replace("Content-Length: 0\n", extra + "Content-Length: 0\n", StringComparison.Ordinal), "");
        using var m = new SipMessage();
        Assert.Equal(SipParseStatus.Invalid, SipParser.TryParse(new ReadOnlySequence<byte>(bytes), true, m, out _, out SipParseError error));
        Assert.Equal(SipParseError.TooManyHeaders, error);
        Assert.Equal(SipMessage.MaxHeaders, m.HeaderCount);
    }

    [Fact]
    public void Keepalive_only_datagram_is_empty()
    {
        using var m = new SipMessage();
        Assert.Equal(SipParseStatus.Invalid, SipParser.TryParse(new ReadOnlySequence<byte>("\r\n\r\n"u8.ToArray()), true, m, out _, out SipParseError error));
        Assert.Equal(SipParseError.EmptyMessage, error);
        Assert.False(m.IsRequest || m.IsResponse);
    }

    [Fact]
    public void Keepalive_crlfs_on_a_stream_are_consumed()
    {
        using var m = new SipMessage();
        var input = new ReadOnlySequence<byte>("\r\n\r\n\r"u8.ToArray());
        Assert.Equal(SipParseStatus.Incomplete, SipParser.TryParse(input, false, m, out SequencePosition consumed, out _));
        Assert.Equal(4, input.Slice(input.Start, consumed).Length);
    }
}
