using System.Text;

namespace CallTracking.Tests.Sip;

/// <summary>
/// Realistic SIP messages shared by the parser tests and the benchmarks. Text is written with
/// LF and turned into CRLF; "{len}" is replaced by the body's byte count so Content-Length is exact.
/// </summary>
public static class SipTestMessages
{
    public const string TwilioSdp = """
        v=0
        o=root 1928374650 1928374650 IN IP4 54.172.60.33
        s=Twilio Media Gateway
        c=IN IP4 54.172.60.33
        t=0 0
        m=audio 17624 RTP/AVP 0 8 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-16
        a=ptime:20
        a=sendrecv

        """;

    /// <summary>Twilio Elastic SIP Trunking origination: a call to tracking number +1 555 123 0001.</summary>
    public static readonly byte[] TwilioInvite = Build("""
        INVITE sip:+15551230001@203.0.113.10:5060 SIP/2.0
        Via: SIP/2.0/UDP 54.172.60.1:5060;branch=z9hG4bK6f4b.8d2c1a0e5b7f9c3d1e2f4a6b8c0d1e2f.0;rport
        Via: SIP/2.0/UDP 172.18.32.14:5060;branch=z9hG4bK2c1d5e7a;received=172.18.32.14
        Record-Route: <sip:54.172.60.1:5060;lr;twnat=sip:198.51.100.20:5060>
        Record-Route: <sip:54.172.60.3;r2=on;lr;ftag=83612283_6772d868_4fcb0a34>
        Max-Forwards: 69
        From: "+15559870002" <sip:+15559870002@pstn.twilio.com>;tag=83612283_6772d868_4fcb0a34-7c37-4b1e-9d0c-2fa85ae81b1f
        To: <sip:+15551230001@example.pstn.twilio.com>
        Call-ID: 3f5e8b1c2a7d4e9f8b6a0c1d2e3f4a5b@0.0.0.0
        CSeq: 101 INVITE
        Contact: <sip:+15559870002@54.172.60.1:5060;transport=udp>
        Allow: INVITE,ACK,CANCEL,OPTIONS,BYE,UPDATE,INFO
        Supported: timer, replaces
        Session-Expires: 3600;refresher=uac
        Min-SE: 90
        User-Agent: Twilio Gateway
        P-Asserted-Identity: <sip:+15559870002@pstn.twilio.com>
        X-Twilio-AccountSid: AC0123456789abcdef0123456789abcdef
        X-Twilio-CallSid: CAfedcba9876543210fedcba9876543210
        Content-Type: application/sdp
        Content-Length: {len}

        """, TwilioSdp);

    /// <summary>sipp's built-in uac scenario, from behind a NAT (sent-by is private).</summary>
    public static readonly byte[] SippInvite = Build("""
        INVITE sip:service@203.0.113.10:5060 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.20:5061;branch=z9hG4bK-4231-1-0;rport
        From: sipp <sip:sipp@192.168.1.20:5061>;tag=4231SIPpTag001
        To: service <sip:service@203.0.113.10:5060>
        Call-ID: 1-4231@192.168.1.20
        CSeq: 1 INVITE
        Contact: sip:sipp@192.168.1.20:5061
        Max-Forwards: 70
        Subject: Performance Test
        Content-Type: application/sdp
        Content-Length: {len}

        """, """
        v=0
        o=user1 53655765 2353687637 IN IP4 192.168.1.20
        s=-
        c=IN IP4 192.168.1.20
        t=0 0
        m=audio 6000 RTP/AVP 0
        a=rtpmap:0 PCMU/8000

        """);

    /// <summary>Compact header names (RFC 3261 §7.3.3) and mixed-case long names.</summary>
    public static readonly byte[] CompactInvite = Build("""
        INVITE sip:+15551230002@203.0.113.10 SIP/2.0
        v: SIP/2.0/TCP 198.51.100.7:5060;branch=z9hG4bKcompact1
        f: <sip:alice@198.51.100.7>;tag=c1
        t: <sip:+15551230002@203.0.113.10>
        i: compact-1@198.51.100.7
        CSEQ: 7 INVITE
        max-forwards: 70
        m: <sip:alice@198.51.100.7:5060;transport=tcp>
        k: timer
        k: 100rel
        s: Compact
        x: 1800
        c: application/sdp
        l: {len}

        """, "v=0\n");

    /// <summary>Obsolete line folding (RFC 3261 §7.3.1) in Subject, Via and Supported.</summary>
    public static readonly byte[] FoldedInvite = Build("""
        INVITE sip:bob@example.com SIP/2.0
        Via: SIP/2.0/UDP pc33.example.com:5060
          ;branch=z9hG4bKfold1
        Max-Forwards: 70
        To: Bob <sip:bob@example.com>
        From: Alice <sip:alice@example.com>;tag=1928301774
        Call-ID: a84b4c76e66710@pc33.example.com
        CSeq: 314159 INVITE
        Subject: I know you're there,
        	pick up the phone
           and talk to me!
        Supported: timer,
         100rel
        Contact: <sip:alice@pc33.example.com>
        Content-Length: 0

        """, "");

    /// <summary>A BYE that crossed two proxies: two Vias on one line, then a third on its own line.</summary>
    public static readonly byte[] MultiViaBye = Build("""
        BYE sip:+15559870002@54.172.60.1:5060;transport=udp SIP/2.0
        Via: SIP/2.0/UDP proxy2.example.net:5060;branch=z9hG4bK721e418c4.1, SIP/2.0/UDP proxy1.example.net;branch=z9hG4bKnashds7;received=192.0.2.3
        Via: SIP/2.0/UDP 203.0.113.99:5060;branch=z9hG4bKbye3;rport=5060;received=203.0.113.99
        Route: <sip:54.172.60.3;r2=on;lr>, <sip:54.172.60.1:5060;lr>
        Max-Forwards: 68
        From: <sip:+15551230001@example.pstn.twilio.com>;tag=ct-9a8b7c
        To: "+15559870002" <sip:+15559870002@pstn.twilio.com>;tag=83612283_6772d868_4fcb0a34-7c37-4b1e-9d0c-2fa85ae81b1f
        Call-ID: 3f5e8b1c2a7d4e9f8b6a0c1d2e3f4a5b@0.0.0.0
        CSeq: 2 BYE
        Reason: Q.850;cause=16;text="Normal call clearing, really"
        Content-Length: 0

        """, "");

    /// <summary>IPv6 references in the Request-URI, Via, Contact and SDP.</summary>
    public static readonly byte[] Ipv6Invite = Build("""
        INVITE sip:+15551230003@[2001:db8::10]:5060 SIP/2.0
        Via: SIP/2.0/UDP [2001:db8::99]:5062;branch=z9hG4bKv6one;rport
        Max-Forwards: 70
        From: <sip:caller@[2001:db8::99]>;tag=v6f
        To: <sip:+15551230003@[2001:db8::10]>
        Call-ID: v6-call@2001:db8::99
        CSeq: 1 INVITE
        Contact: <sip:caller@[2001:db8::99]:5062>
        Content-Type: application/sdp
        Content-Length: {len}

        """, """
        v=0
        o=- 1 1 IN IP6 2001:db8::99
        s=-
        c=IN IP6 2001:db8::99
        t=0 0
        m=audio 40000 RTP/AVP 0
        
        """);

    /// <summary>A tel: Request-URI (RFC 3966) and an addr-spec To whose ";tag" belongs to the header (RFC 3261 §20.10).</summary>
    public static readonly byte[] TelInvite = Build("""
        INVITE tel:+15551230004;phone-context=+1 SIP/2.0
        Via: SIP/2.0/TLS carrier.example.org:5061;branch=z9hG4bKtel1
        Max-Forwards: 70
        From: tel:+15559870005;tag=tel-from
        To: <tel:+15551230004>
        Call-ID: tel-1@carrier.example.org
        CSeq: 1 INVITE
        Contact: <sip:gw@carrier.example.org:5061;transport=tls>
        Content-Length: 0

        """, "");

    /// <summary>Quoted display names with escapes and commas, and a Contact list with commas inside &lt;&gt;.</summary>
    public static readonly byte[] QuotedNamesInvite = Build("""
        INVITE sip:sales@203.0.113.10 SIP/2.0
        Via: SIP/2.0/UDP 198.51.100.40:5060;branch=z9hG4bKquote1
        Max-Forwards: 70
        From: "Bob \"The Builder\", Ltd" <sip:bob@198.51.100.40>;tag=q1
        To: "Sales, Main Line" <sip:sales@203.0.113.10>
        Call-ID: quote-1@198.51.100.40
        CSeq: 1 INVITE
        Contact: "Desk, 1" <sip:bob@198.51.100.40;x=a,b>;q=0.7, <sip:bob@198.51.100.41>;q=0.3
        Content-Length: 0

        """, "");

    public static readonly byte[] Trying100 = Build("""
        SIP/2.0 100 Trying
        Via: SIP/2.0/UDP 54.172.60.1:5060;branch=z9hG4bK6f4b.8d2c1a0e5b7f9c3d1e2f4a6b8c0d1e2f.0;rport=5060;received=54.172.60.1
        From: "+15559870002" <sip:+15559870002@pstn.twilio.com>;tag=83612283_6772d868_4fcb0a34-7c37-4b1e-9d0c-2fa85ae81b1f
        To: <sip:+15551230001@example.pstn.twilio.com>
        Call-ID: 3f5e8b1c2a7d4e9f8b6a0c1d2e3f4a5b@0.0.0.0
        CSeq: 101 INVITE
        Content-Length: 0

        """, "");

    public static readonly byte[] Ringing180 = Build("""
        SIP/2.0 180 Ringing
        Via: SIP/2.0/UDP 203.0.113.10:5060;branch=z9hG4bKout1;rport=5060
        From: <sip:+15559870002@203.0.113.10>;tag=ct-out-1
        To: <sip:+15557770001@agent.example.com>;tag=as5a1f
        Call-ID: out-leg-1@203.0.113.10
        CSeq: 1 INVITE
        Contact: <sip:agent@198.51.100.77:5060>
        Content-Length: 0

        """, "");

    public static readonly byte[] Ok200WithSdp = Build("""
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 203.0.113.10:5060;branch=z9hG4bKout1;rport=5060
        Record-Route: <sip:198.51.100.1;lr>
        From: <sip:+15559870002@203.0.113.10>;tag=ct-out-1
        To: <sip:+15557770001@agent.example.com>;tag=as5a1f
        Call-ID: out-leg-1@203.0.113.10
        CSeq: 1 INVITE
        Contact: <sip:agent@198.51.100.77:5060>
        Allow: INVITE, ACK, CANCEL, OPTIONS, BYE
        Content-Type: application/sdp
        Content-Length: {len}

        """, """
        v=0
        o=agent 2890844527 2890844527 IN IP4 198.51.100.77
        s=-
        c=IN IP4 198.51.100.77
        t=0 0
        m=audio 49170 RTP/AVP 0 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000

        """);

    public static readonly byte[] RequestTerminated487 = Build("""
        SIP/2.0 487 Request Terminated
        Via: SIP/2.0/UDP 203.0.113.10:5060;branch=z9hG4bKout2
        From: <sip:+15559870002@203.0.113.10>;tag=ct-out-2
        To: <sip:+15557770002@agent.example.com>;tag=x487
        Call-ID: out-leg-2@203.0.113.10
        CSeq: 1 INVITE
        Content-Length: 0

        """, "");

    /// <summary>Twilio's periodic OPTIONS ping (no Max-Forwards is allowed too; this one has it).</summary>
    public static readonly byte[] Options = Build("""
        OPTIONS sip:203.0.113.10:5060 SIP/2.0
        Via: SIP/2.0/UDP 54.172.60.2:5060;branch=z9hG4bKopt1;rport
        Max-Forwards: 70
        From: <sip:ping@pstn.twilio.com>;tag=opt-1
        To: <sip:203.0.113.10:5060>
        Call-ID: options-1@54.172.60.2
        CSeq: 1 OPTIONS
        Accept: application/sdp
        Content-Length: 0

        """, "");

    public static readonly byte[] Cancel = Build("""
        CANCEL sip:+15551230001@203.0.113.10:5060 SIP/2.0
        Via: SIP/2.0/UDP 54.172.60.1:5060;branch=z9hG4bK6f4b.8d2c1a0e5b7f9c3d1e2f4a6b8c0d1e2f.0;rport
        Max-Forwards: 70
        From: "+15559870002" <sip:+15559870002@pstn.twilio.com>;tag=83612283_6772d868_4fcb0a34-7c37-4b1e-9d0c-2fa85ae81b1f
        To: <sip:+15551230001@example.pstn.twilio.com>
        Call-ID: 3f5e8b1c2a7d4e9f8b6a0c1d2e3f4a5b@0.0.0.0
        CSeq: 101 CANCEL
        Content-Length: 0

        """, "");

    public static readonly byte[] Ack = Build("""
        ACK sip:+15559870002@54.172.60.1:5060;transport=udp SIP/2.0
        Via: SIP/2.0/UDP 203.0.113.10:5060;branch=z9hG4bKack1
        Max-Forwards: 70
        From: "+15559870002" <sip:+15559870002@pstn.twilio.com>;tag=83612283_6772d868_4fcb0a34-7c37-4b1e-9d0c-2fa85ae81b1f
        To: <sip:+15551230001@example.pstn.twilio.com>;tag=ct-9a8b7c
        Call-ID: 3f5e8b1c2a7d4e9f8b6a0c1d2e3f4a5b@0.0.0.0
        CSeq: 101 ACK
        Content-Length: 0

        """, "");

    /// <summary>Every valid message above, by name, for data-driven tests.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> AllValid { get; } =
    [
        (nameof(TwilioInvite), TwilioInvite),
        (nameof(SippInvite), SippInvite),
        (nameof(CompactInvite), CompactInvite),
        (nameof(FoldedInvite), FoldedInvite),
        (nameof(MultiViaBye), MultiViaBye),
        (nameof(Ipv6Invite), Ipv6Invite),
        (nameof(TelInvite), TelInvite),
        (nameof(QuotedNamesInvite), QuotedNamesInvite),
        (nameof(Trying100), Trying100),
        (nameof(Ringing180), Ringing180),
        (nameof(Ok200WithSdp), Ok200WithSdp),
        (nameof(RequestTerminated487), RequestTerminated487),
        (nameof(Options), Options),
        (nameof(Cancel), Cancel),
        (nameof(Ack), Ack),
    ];

    public static byte[] Get(string name) => AllValid.First(m => m.Name == name).Bytes;

    /// <summary>
    /// Head text with LF line ends plus a body; both become CRLF and "{len}" the body's length.
    /// A raw string literal drops its last newline, so the empty line that ends the headers is
    /// added here when the head does not already end with one.
    /// </summary>
    public static byte[] Build(string head, string body)
    {
        head = head.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!head.EndsWith("\n\n", StringComparison.Ordinal))
        {
            head += "\n";
        }
        string crlfBody = body.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        int bodyLength = Encoding.UTF8.GetByteCount(crlfBody);
        string crlfHead = head.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal)
            .Replace("{len}", bodyLength.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(crlfHead + crlfBody);
    }
}
