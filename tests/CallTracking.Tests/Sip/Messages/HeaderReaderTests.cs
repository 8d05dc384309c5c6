using System.Text;
using CallTracking.Engine.Sip.Messages;

namespace CallTracking.Tests.Sip.Messages;

public sealed class HeaderReaderTests
{
    private static string S(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Via_with_received_rport_and_extra_params_is_read()
    {
        Assert.True(ViaHeader.TryParse(B(" SIP / 2.0 / TCP  10.0.0.1:5070 ; branch=z9hG4bKabc ; received=192.0.2.1;rport=5071;maddr=x "), out ViaHeader via));
        Assert.Equal("TCP", S(via.Transport));
        Assert.Equal("10.0.0.1", S(via.Host));
        Assert.Equal(5070, via.Port);
        Assert.Equal("z9hG4bKabc", S(via.Branch));
        Assert.Equal("192.0.2.1", S(via.Received));
        Assert.True(via.HasRPort);
        Assert.Equal(5071, via.RPort);
        Assert.True(via.TryGetParameter("MADDR"u8, out ReadOnlySpan<byte> maddr));
        Assert.Equal("x", S(maddr));
        Assert.False(via.TryGetParameter("ttl"u8, out _));
    }

    [Fact]
    public void Via_without_port_or_params_and_with_ipv6()
    {
        Assert.True(ViaHeader.TryParse(B("SIP/2.0/UDP host.example.com"), out ViaHeader plain));
        Assert.Equal(0, plain.Port);
        Assert.True(plain.Branch.IsEmpty);
        Assert.False(plain.IsRfc3261Branch);
        Assert.False(plain.HasRPort);

        Assert.True(ViaHeader.TryParse(B("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;rport"), out ViaHeader v6));
        Assert.Equal("[2001:db8::1]", S(v6.Host));
        Assert.Equal("[2001:db8::1]:5060", S(v6.SentBy));
        Assert.Equal(5060, v6.Port);
        Assert.Equal(0, v6.RPort);
        Assert.True(v6.HasRPort);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SIP/2.0/UDP")]
    [InlineData("SIP/2.0 UDP host")]
    [InlineData("SIP/2.0/UDP host:70000")]
    [InlineData("SIP/2.0/UDP host;rport=abc")]
    [InlineData("SIP/2.0/UDP host junk")]
    public void Bad_via_is_refused(string text) => Assert.False(ViaHeader.TryParse(B(text), out _));

    [Fact]
    public void Name_addr_with_escaped_quoted_display_name()
    {
        Assert.True(NameAddr.TryParse(B("\"Bob \\\"B\\\"\" <sip:bob@x;transport=tcp>;tag=1"), out NameAddr n));
        Assert.Equal("Bob \\\"B\\\"", S(n.DisplayName));
        Assert.Equal("sip:bob@x;transport=tcp", S(n.Uri));
        Assert.Equal(";tag=1", S(n.Parameters));
        Assert.Equal("1", S(n.Tag));
        Assert.False(n.IsWildcard);
    }

    [Fact]
    public void Addr_spec_params_belong_to_the_header()
    {
        Assert.True(NameAddr.TryParse(B("sip:bob@x;tag=1"), out NameAddr n));
        Assert.Equal("sip:bob@x", S(n.Uri));
        Assert.True(n.TryGetParameter("tag"u8, out ReadOnlySpan<byte> tag));
        Assert.Equal("1", S(tag));
        Assert.True(n.DisplayName.IsEmpty);
    }

    [Fact]
    public void Token_display_name_wildcard_and_contact_params()
    {
        Assert.True(NameAddr.TryParse(B("Bob Smith <sip:bob@x>;expires=60;q=0.5"), out NameAddr n));
        Assert.Equal("Bob Smith", S(n.DisplayName));
        Assert.True(n.TryGetParameter("expires"u8, out ReadOnlySpan<byte> expires));
        Assert.Equal("60", S(expires));
        Assert.True(NameAddr.TryParse(B(" * "), out NameAddr star));
        Assert.True(star.IsWildcard);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bob")]
    [InlineData("<sip:bob@x")]
    [InlineData("\"Bob <sip:bob@x>")]
    [InlineData("<sip:bob@x> junk")]
    public void Bad_name_addr_is_refused(string text) => Assert.False(NameAddr.TryParse(B(text), out _));

    [Fact]
    public void Sip_uri_parts_are_read()
    {
        Assert.True(SipUri.TryParse(B("sips:alice:secret@Example.COM:5061;transport=tls;lr?subject=hi&priority=urgent"), out SipUri u));
        Assert.Equal(SipUriScheme.Sips, u.Scheme);
        Assert.Equal("alice", S(u.User));
        Assert.Equal("secret", S(u.Password));
        Assert.Equal("Example.COM", S(u.Host));
        Assert.Equal(5061, u.Port);
        Assert.Equal(";transport=tls;lr", S(u.Parameters));
        Assert.True(u.TryGetParameter("lr"u8, out ReadOnlySpan<byte> lr));
        Assert.True(lr.IsEmpty);
        Assert.Equal("subject=hi&priority=urgent", S(u.Headers));
    }

    [Fact]
    public void Sip_uri_with_ipv6_and_phone_user()
    {
        Assert.True(SipUri.TryParse(B("sip:+15551230001;npdi@[2001:db8::1]:5080;user=phone"), out SipUri u));
        Assert.Equal("+15551230001;npdi", S(u.User));
        Assert.Equal("[2001:db8::1]", S(u.Host));
        Assert.Equal(5080, u.Port);
        Assert.True(u.TryGetParameter("user"u8, out ReadOnlySpan<byte> user));
        Assert.Equal("phone", S(user));

        Assert.True(SipUri.TryParse(B("sip:[::1]"), out SipUri loop));
        Assert.Equal("[::1]", S(loop.Host));
        Assert.Equal(0, loop.Port);
        Assert.True(loop.User.IsEmpty);
    }

    [Fact]
    public void Tel_uri_number_and_params()
    {
        Assert.True(SipUri.TryParse(B("tel:+1-555-123-0001;ext=22"), out SipUri t));
        Assert.Equal(SipUriScheme.Tel, t.Scheme);
        Assert.Equal("+1-555-123-0001", S(t.User));
        Assert.True(t.TryGetParameter("ext"u8, out ReadOnlySpan<byte> ext));
        Assert.Equal("22", S(ext));
        Assert.True(t.Host.IsEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sip:")]
    [InlineData("http://x")]
    [InlineData("sip:@host")]
    [InlineData("sip:host:port")]
    [InlineData("sip:[::1")]
    [InlineData("tel:")]
    [InlineData("sip:a b@host")]
    public void Bad_uri_is_refused(string text) => Assert.False(SipUri.TryParse(B(text), out _));

    [Fact]
    public void Comma_split_respects_quotes_and_angle_brackets()
    {
        byte[] bytes = SipTestMessages.QuotedNamesInvite;
        using var m = new SipMessage();
        Engine.Sip.Parsing.SipParser.TryParse(new System.Buffers.ReadOnlySequence<byte>(bytes), true, m, out _, out _);
        var contacts = new List<string>();
        foreach (ReadOnlySpan<byte> c in m.GetHeaderValues(HeaderKind.Contact))
        {
            contacts.Add(S(c));
        }
        Assert.Equal(["\"Desk, 1\" <sip:bob@198.51.100.40;x=a,b>;q=0.7", "<sip:bob@198.51.100.41>;q=0.3"], contacts);
        Assert.True(NameAddr.TryParse(Encoding.UTF8.GetBytes(contacts[0]), out NameAddr first));
        Assert.Equal("Desk, 1", S(first.DisplayName));
        Assert.Equal("q1", S(m.FromTag));

        int count = 0;
        foreach (ReadOnlySpan<byte> unused in m.GetHeaderValues(HeaderKind.Route))
        {
            count++;
        }
        Assert.Equal(0, count);
    }
}
