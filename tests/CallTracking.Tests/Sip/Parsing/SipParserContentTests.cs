using System.Buffers;
using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;

namespace CallTracking.Tests.Sip.Parsing;

public sealed class SipParserContentTests
{
    private static SipMessage ParseOk(byte[] bytes)
    {
        var m = new SipMessage();
        SipParseStatus status = SipParser.TryParse(new ReadOnlySequence<byte>(bytes), isDatagram: true, m, out _, out SipParseError error);
        Assert.Equal(SipParseError.None, error);
        Assert.Equal(SipParseStatus.Complete, status);
        return m;
    }

    private static string S(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);

    [Fact]
    public void Twilio_invite_routing_values_are_read()
    {
        using SipMessage m = ParseOk(SipTestMessages.TwilioInvite);
        Assert.True(m.IsRequest);
        Assert.Equal(SipMethod.Invite, m.Method);
        Assert.Equal("sip:+15551230001@203.0.113.10:5060", S(m.RequestUri));
        Assert.Equal("3f5e8b1c2a7d4e9f8b6a0c1d2e3f4a5b@0.0.0.0", S(m.CallId));
        Assert.Equal(101u, m.CSeqNumber);
        Assert.Equal(SipMethod.Invite, m.CSeqMethod);
        Assert.Equal("83612283_6772d868_4fcb0a34-7c37-4b1e-9d0c-2fa85ae81b1f", S(m.FromTag));
        Assert.True(m.ToTag.IsEmpty);
        Assert.Equal(69, m.MaxForwards);
        Assert.Equal(SipTestMessages.TwilioSdp.Replace("\n", "\r\n", StringComparison.Ordinal), S(m.Body));
        Assert.Equal(m.Body.Length, m.ContentLength);

        ViaHeader via = m.TopVia;
        Assert.Equal("SIP/2.0", S(via.Protocol));
        Assert.Equal("UDP", S(via.Transport));
        Assert.Equal("54.172.60.1:5060", S(via.SentBy));
        Assert.Equal(5060, via.Port);
        Assert.True(via.HasRPort);
        Assert.Equal(0, via.RPort);
        Assert.True(via.IsRfc3261Branch);

        Assert.True(m.TryGetHeader("x-twilio-callsid"u8, out ReadOnlySpan<byte> callSid));
        Assert.Equal("CAfedcba9876543210fedcba9876543210", S(callSid));
        Assert.True(m.TryGetHeader(HeaderKind.PAssertedIdentity, out _));
        Assert.False(m.HasHeader(HeaderKind.Route));

        var recordRoutes = new List<string>();
        foreach (ReadOnlySpan<byte> rr in m.GetHeaderValues(HeaderKind.RecordRoute))
        {
            recordRoutes.Add(S(rr));
        }
        Assert.Equal(["<sip:54.172.60.1:5060;lr;twnat=sip:198.51.100.20:5060>", "<sip:54.172.60.3;r2=on;lr;ftag=83612283_6772d868_4fcb0a34>"], recordRoutes);
    }

    [Fact]
    public void Compact_forms_map_to_their_kinds_and_list_lines_join()
    {
        using SipMessage m = ParseOk(SipTestMessages.CompactInvite);
        Assert.Equal("compact-1@198.51.100.7", S(m.CallId));
        Assert.Equal(7u, m.CSeqNumber);
        Assert.Equal("c1", S(m.FromTag));
        Assert.Equal(5, m.ContentLength);
        Assert.Equal("TCP", S(m.TopVia.Transport));
        Assert.True(m.TryGetHeader("Content-Type"u8, out ReadOnlySpan<byte> ct));
        Assert.Equal("application/sdp", S(ct));
        Assert.True(m.TryGetHeader("session-expires"u8, out ReadOnlySpan<byte> se));
        Assert.Equal("1800", S(se));
        var supported = new List<string>();
        foreach (ReadOnlySpan<byte> v in m.GetHeaderValues(HeaderKind.Supported))
        {
            supported.Add(S(v));
        }
        Assert.Equal(["timer", "100rel"], supported);
    }

    [Fact]
    public void Folded_lines_become_one_value_with_spaces()
    {
        using SipMessage m = ParseOk(SipTestMessages.FoldedInvite);
        Assert.True(m.TryGetHeader(HeaderKind.Subject, out ReadOnlySpan<byte> subject));
        Assert.Equal("I know you're there,  \tpick up the phone     and talk to me!", S(subject));
        Assert.Equal("z9hG4bKfold1", S(m.TopVia.Branch));
        Assert.Equal("pc33.example.com:5060", S(m.TopVia.SentBy));
        var supported = new List<string>();
        foreach (ReadOnlySpan<byte> v in m.GetHeaderValues(HeaderKind.Supported))
        {
            supported.Add(S(v));
        }
        Assert.Equal(["timer", "100rel"], supported);
        Assert.DoesNotContain((byte)'\n', m.GetHeaderValue(0).ToArray());
    }

    [Fact]
    public void Every_via_is_enumerated_in_order_across_lines()
    {
        using SipMessage m = ParseOk(SipTestMessages.MultiViaBye);
        var branches = new List<string>();
        foreach (ReadOnlySpan<byte> v in m.GetHeaderValues(HeaderKind.Via))
        {
            Assert.True(ViaHeader.TryParse(v, out ViaHeader via));
            branches.Add(S(via.Branch));
        }
        Assert.Equal(["z9hG4bK721e418c4.1", "z9hG4bKnashds7", "z9hG4bKbye3"], branches);
        Assert.Equal("proxy2.example.net:5060", S(m.TopVia.SentBy));
        Assert.Equal(SipMethod.Bye, m.Method);
        Assert.Equal("83612283_6772d868_4fcb0a34-7c37-4b1e-9d0c-2fa85ae81b1f", S(m.ToTag));
    }

    [Fact]
    public void Ipv6_references_keep_their_brackets()
    {
        using SipMessage m = ParseOk(SipTestMessages.Ipv6Invite);
        Assert.Equal("[2001:db8::99]", S(m.TopVia.Host));
        Assert.Equal(5062, m.TopVia.Port);
        Assert.True(SipUri.TryParse(m.RequestUri, out SipUri uri));
        Assert.Equal("[2001:db8::10]", S(uri.Host));
        Assert.Equal(5060, uri.Port);
    }

    [Fact]
    public void Tel_request_uri_and_addr_spec_tag_are_read()
    {
        using SipMessage m = ParseOk(SipTestMessages.TelInvite);
        Assert.True(SipUri.TryParse(m.RequestUri, out SipUri uri));
        Assert.Equal(SipUriScheme.Tel, uri.Scheme);
        Assert.Equal("+15551230004", S(uri.User));
        Assert.Equal("tel-from", S(m.FromTag));
        Assert.Equal(70, m.MaxForwards);
    }

    [Fact]
    public void Responses_carry_status_and_reason()
    {
        using SipMessage m = ParseOk(SipTestMessages.RequestTerminated487);
        Assert.True(m.IsResponse);
        Assert.False(m.IsRequest);
        Assert.Equal(487, m.StatusCode);
        Assert.Equal("Request Terminated", S(m.ReasonPhrase));
        Assert.Equal(SipMethod.Invite, m.CSeqMethod);
        Assert.Equal("x487", S(m.ToTag));
    }

    [Fact]
    public void Extension_method_is_unknown_with_its_token()
    {
        byte[] bytes = SipTestMessages.Build("""
            FOO sip:a@b SIP/2.0
            Via: SIP/2.0/UDP h;branch=z9hG4bK1
            From: <sip:a@b>;tag=1
            To: <sip:a@b>
            Call-ID: x
            CSeq: 1 FOO
            Content-Length: 0

            """, "");
        using SipMessage m = ParseOk(bytes);
        Assert.Equal(SipMethod.Unknown, m.Method);
        Assert.Equal("FOO", S(m.MethodToken));
        Assert.Equal(-1, m.MaxForwards);
    }

    [Fact]
    public void Clone_owns_a_copy_that_survives_the_original()
    {
        using var m = new SipMessage();
        SipParser.TryParse(new ReadOnlySequence<byte>(SipTestMessages.TwilioInvite), true, m, out _, out _);
        string before = SipParseHarness.Project(m);
        using SipMessage copy = m.Clone();
        SipParser.TryParse(new ReadOnlySequence<byte>(SipTestMessages.Options), true, m, out _, out _);
        Assert.Equal(before, SipParseHarness.Project(copy));
        Assert.Equal(SipMethod.Options, m.Method);
    }

    [Fact]
    public void Every_header_kind_name_looks_up_to_itself_in_any_case()
    {
        foreach (HeaderKind kind in Enum.GetValues<HeaderKind>())
        {
            if (kind == HeaderKind.Other)
            {
                continue;
            }
            byte[] name = HeaderKinds.GetName(kind).ToArray();
            Assert.Equal(kind, HeaderKinds.Lookup(name));
            Assert.Equal(kind, HeaderKinds.Lookup(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(name).ToUpperInvariant())));
            Assert.Equal(kind, HeaderKinds.Lookup(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(name).ToLowerInvariant())));
        }
        Assert.Equal(HeaderKind.Other, HeaderKinds.Lookup("X-Twilio-CallSid"u8));
        Assert.Equal(HeaderKind.Other, HeaderKinds.Lookup("q"u8));
    }
}
