using System.Buffers;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using CallTracking.Engine.Sip.Core;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Tracking;
using CallTracking.Media.Rtp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Sip.Core;

/// <summary>A <see cref="SipCore"/> on a fake clock and a recording transport, fed parsed text.</summary>
internal sealed class CoreHarness : IAsyncDisposable
{
    public static readonly SipRemote Carrier = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 5070));
    public static readonly SipRemote Stranger = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.66"), 5060));

    private readonly Meter _meter = new("test.core");
    private int _branch;

    public CoreHarness(SipCoreOptions? options = null, int portPairs = 50)
    {
        Ports = new RtpPortAllocator(new RtpPortRange(20000, 20000 + (portPairs * 2) - 1));
        Media = new FakeMediaFactory(Ports);
        Core = new SipCore(
            (options ?? new SipCoreOptions { RecordingsPath = "/recordings" }) with { ShutdownGrace = TimeSpan.Zero },
            new TrunkAdmission([new Trunk("carrier", [IPNetwork.Parse("10.0.0.0/8")])]),
            new TrackingNumberDirectory([new TrackingNumber("+15551230001", "Google Ads")]),
            Transport,
            SipTimerSettings.Default,
            Media,
            new SipIdentifiers(),
            Time,
            _meter,
            NullLogger<SipCore>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public RecordingTransport Transport { get; } = new(RecordingTransport.UdpListener);

    public RtpPortAllocator Ports { get; }

    public FakeMediaFactory Media { get; }

    public SipCore Core { get; }

    public string NextBranch() => "z9hG4bK-test-" + Interlocked.Increment(ref _branch);

    public void Receive(string text, SipRemote? from = null)
    {
        var bytes = Encoding.ASCII.GetBytes(text.ReplaceLineEndings("\r\n"));
        using var message = new SipMessage();
        var status = SipParser.TryParse(new ReadOnlySequence<byte>(bytes), isDatagram: true, message, out _, out var error);
        Core.OnReceived(message, status, error, from ?? Carrier, Transport.Listener);
    }

    /// <summary>Moves the fake clock forward in small steps so every timer fires at its time.</summary>
    public void Advance(TimeSpan by)
    {
        var step = TimeSpan.FromMilliseconds(50);
        for (var elapsed = TimeSpan.Zero; elapsed < by; elapsed += step)
        {
            Time.Advance(step);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Core.DisposeAsync();
        Transport.Dispose();
        _meter.Dispose();
    }

    public const string PcmuOffer =
        "v=0\r\no=carrier 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n" +
        "m=audio 30000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n";

    public static string OfferWith(string direction) => PcmuOffer.Replace("a=sendrecv", "a=" + direction, StringComparison.Ordinal);

    /// <summary>An INVITE as a trunk sends it; <paramref name="headers"/> lines end in CRLF.</summary>
    public static string Invite(string branch, string callId = "call-1", string number = "+15551230001", string headers = "", string? sdp = PcmuOffer, uint cseq = 1, string toTag = "")
    {
        var body = sdp ?? string.Empty;
        var to = toTag.Length == 0 ? $"<sip:{number}@127.0.0.1>" : $"<sip:{number}@127.0.0.1>;tag={toTag}";
        var contentType = sdp is null ? string.Empty : "Content-Type: application/sdp\r\n";
        return $"INVITE sip:{number}@127.0.0.1:5060 SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 10.0.0.1:5070;branch={branch}\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: \"Jane\" <sip:+15557654321@10.0.0.1>;tag=caller\r\n" +
            $"To: {to}\r\n" +
            $"Call-ID: {callId}\r\n" +
            $"CSeq: {cseq} INVITE\r\n" +
            "Contact: <sip:jane@10.0.0.1:5070>\r\n" +
            headers + contentType +
            $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n" + body;
    }

    /// <summary>An in-dialog request from the caller (To carries our tag).</summary>
    public static string InDialog(string method, string branch, string ourTag, uint cseq, string callId = "call-1", string headers = "", string? sdp = null)
    {
        var body = sdp ?? string.Empty;
        var contentType = sdp is null ? string.Empty : "Content-Type: application/sdp\r\n";
        var cseqMethod = method == "ACK" ? "ACK" : method;
        return $"{method} sip:127.0.0.1:5060 SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 10.0.0.1:5070;branch={branch}\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: \"Jane\" <sip:+15557654321@10.0.0.1>;tag=caller\r\n" +
            $"To: <sip:+15551230001@127.0.0.1>;tag={ourTag}\r\n" +
            $"Call-ID: {callId}\r\n" +
            $"CSeq: {cseq} {cseqMethod}\r\n" +
            "Contact: <sip:jane@10.0.0.1:5070>\r\n" +
            headers + contentType +
            $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n" + body;
    }

    public static string Header(SipMessage message, HeaderKind kind) => message.TryGetHeader(kind, out var value) ? Encoding.ASCII.GetString(value) : string.Empty;

    public static string Header(SipMessage message, string name) => message.TryGetHeader(Encoding.ASCII.GetBytes(name), out var value) ? Encoding.ASCII.GetString(value) : string.Empty;

    public static string Body(SipMessage message) => Encoding.ASCII.GetString(message.Body);

    public static string ToTag(SipMessage message) => Encoding.ASCII.GetString(message.ToTag);
}
