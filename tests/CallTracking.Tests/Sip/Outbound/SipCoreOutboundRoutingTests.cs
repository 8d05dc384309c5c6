using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using CallTracking.Engine.Sip.Core;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Outbound;
using CallTracking.Engine.Sip.Outbound.Dns;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Tests.Sip.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallTracking.Tests.Sip.Outbound;

/// <summary>
/// SipCore hands the outbound dialer its messages before inbound admission: the business's trunk is not in any
/// inbound allow-list, yet its responses and in-dialog requests reach the leg (and nothing else does).
/// </summary>
public sealed class SipCoreOutboundRoutingTests : IAsyncDisposable
{
    private static readonly SipRemote Business = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.50"), 5060));

    private readonly Meter _meter = new("test.outbound.routing");
    private readonly CoreHarness _harness = new();
    private readonly OutboundDialer _dialer;
    private readonly Observer _observer = new();

    public SipCoreOutboundRoutingTests()
    {
        var metrics = new OutboundMetrics(_meter);
        var dns = new DnsClient([new IPEndPoint(IPAddress.Loopback, 9)], TimeSpan.FromMilliseconds(100), 1, _harness.Time, metrics, NullLogger<DnsClient>.Instance);
        _dialer = new OutboundDialer(new OutboundDialerOptions(), _harness.Transport, new SipDnsResolver(dns, new Random(1)), SipTimerSettings.Default, new SipIdentifiers(), _harness.Time, _meter, NullLogger<OutboundDialer>.Instance);
        _harness.Core.AttachOutbound(_dialer);
    }

    [Fact]
    public void Answer_and_bye_from_a_source_outside_the_allow_list_reach_the_leg()
    {
        var leg = _dialer.Dial(new DialRequest("sip:+15551230001@192.0.2.50", [], "+15557770000", Encoding.ASCII.GetBytes("v=0\r\n")), _observer);
        var invite = Assert.Single(_harness.Transport.Requests(SipMethod.Invite)).Message;

        _harness.Receive(Response(invite, "200 OK", "business-tag"), Business);

        Assert.Equal(OutboundLegState.Answered, leg.State);
        Assert.Empty(_harness.Transport.Responses(403));
        var (ack, to) = Assert.Single(_harness.Transport.Requests(SipMethod.Ack));
        Assert.Equal(Business, to);
        Assert.Equal("sip:business@192.0.2.50:5060", Encoding.ASCII.GetString(ack.RequestUri));

        var callId = Encoding.ASCII.GetString(invite.CallId);
        _harness.Receive(
            $"BYE sip:127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bK-bye-1\r\nFrom: <sip:+15551230001@192.0.2.50>;tag=business-tag\r\n" +
            $"To: <sip:+15557770000@127.0.0.1>;tag={leg.LocalTag}\r\nCall-ID: {callId}\r\nCSeq: 9 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
            Business);

        Assert.Single(_harness.Transport.Responses(200));
        Assert.Equal(OutboundLegState.Ended, leg.State);
        Assert.Equal("answered, ended remote=True", string.Join(", ", _observer.Events));
    }

    [Fact]
    public void Cancelled_invite_without_a_final_response_is_given_up_after_64_t1()
    {
        var leg = _dialer.Dial(new DialRequest("sip:+15551230001@192.0.2.50", [], "+15557770000", Encoding.ASCII.GetBytes("v=0\r\n")), _observer);
        var invite = Assert.Single(_harness.Transport.Requests(SipMethod.Invite)).Message;
        _harness.Receive(Response(invite, "180 Ringing", "business-tag").Replace("Content-Length: 5\r\n\r\nv=0\r\n", "Content-Length: 0\r\n\r\n", StringComparison.Ordinal), Business);

        leg.Cancel();
        Assert.Single(_harness.Transport.Requests(SipMethod.Cancel));
        Assert.Equal("provisional 180, failed 487", string.Join(", ", _observer.Events));
        Assert.Equal(2, _dialer.Transactions.ClientCount);

        // RFC 3261 §9.1: the far end never sends 487; the INVITE transaction must not live for ever.
        _harness.Advance(SipTimerSettings.Default.TimerB + TimeSpan.FromSeconds(1));
        Assert.Equal(0, _dialer.Transactions.ClientCount);
    }

    [Fact]
    public void Unknown_in_dialog_request_from_a_stranger_is_still_refused_by_the_core()
    {
        _harness.Receive(
            "BYE sip:127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bK-bye-2\r\nFrom: <sip:x@192.0.2.50>;tag=a\r\n" +
            "To: <sip:y@127.0.0.1>;tag=b\r\nCall-ID: nothing\r\nCSeq: 1 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
            Business);

        Assert.Single(_harness.Transport.Responses(403));
    }

    private static string Response(SipMessage invite, string status, string toTag)
    {
        string Value(HeaderKind kind) => CoreHarness.Header(invite, kind);
        return $"SIP/2.0 {status}\r\nVia: {Value(HeaderKind.Via)}\r\nFrom: {Value(HeaderKind.From)}\r\nTo: {Value(HeaderKind.To)};tag={toTag}\r\n" +
            $"Call-ID: {Value(HeaderKind.CallId)}\r\nCSeq: {Value(HeaderKind.CSeq)}\r\nContact: <sip:business@192.0.2.50:5060>\r\n" +
            "Content-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n";
    }

    public async ValueTask DisposeAsync()
    {
        _dialer.Dispose();
        await _harness.DisposeAsync();
        _meter.Dispose();
    }

    private sealed class Observer : IOutboundLegObserver
    {
        public List<string> Events { get; } = [];

        public void OnProvisional(OutboundLeg leg, int statusCode, string reason, ReadOnlyMemory<byte> sdp) => Events.Add($"provisional {statusCode}");

        public void OnAnswered(OutboundLeg leg, ReadOnlyMemory<byte> sdp) => Events.Add("answered");

        public void OnFailed(OutboundLeg leg, int statusCode, string reason) => Events.Add($"failed {statusCode}");

        public void OnEnded(OutboundLeg leg, bool byRemote) => Events.Add($"ended remote={byRemote}");

        public ReadOnlyMemory<byte>? OnReinvite(OutboundLeg leg, ReadOnlyMemory<byte> offer) => null;

        public void OnReinviteAnswered(OutboundLeg leg, int statusCode, ReadOnlyMemory<byte> sdp) => Events.Add($"reinvite {statusCode}");
    }
}
