using System.Diagnostics.Metrics;
using System.Net;
using CallTracking.Engine.Sip.Core;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Outbound;
using CallTracking.Engine.Sip.Outbound.Dns;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// The engine's outbound SIP stack in-process: a UDP listener on 127.0.0.1 (any port), the dialer as its handler,
/// short SIP timers (T1 = 50 ms, so Timer B/F fire after 3.2 s) and a DNS client aimed at the given servers.
/// </summary>
public sealed class OutboundStack : IAsyncDisposable
{
    public static readonly SipTimerSettings FastTimers = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));

    private readonly Meter _meter;
    private readonly SipTransports _transports;

    private OutboundStack(Meter meter, SipTransports transports, OutboundDialer dialer, SipDnsResolver resolver)
    {
        _meter = meter;
        _transports = transports;
        Dialer = dialer;
        Resolver = resolver;
    }

    public OutboundDialer Dialer { get; }

    public SipDnsResolver Resolver { get; }

    public SipListener Listener => _transports.Listeners[0];

    public static OutboundStack Start(IReadOnlyList<IPEndPoint>? dnsServers = null)
    {
        var meter = new Meter("CallTracking.Tests.Outbound." + Guid.NewGuid().ToString("N"));
        var transports = new SipTransports(new SipTransportMetrics(meter));
        var handler = new Forwarder();
        transports.Bind([(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0))], handler, NullLoggerFactory.Instance);
        var metrics = new OutboundMetrics(meter);
        // Nothing listens on port 9 of loopback: tests that never look a name up still get a client.
        var dns = new DnsClient(dnsServers ?? [new IPEndPoint(IPAddress.Loopback, 9)], TimeSpan.FromMilliseconds(500), 2, TimeProvider.System, metrics, NullLogger<DnsClient>.Instance);
        var resolver = new SipDnsResolver(dns, new Random(42));
        var dialer = new OutboundDialer(new OutboundDialerOptions { UserAgent = "CallTracking-test" }, transports, resolver, FastTimers, new SipIdentifiers(), TimeProvider.System, meter, NullLogger<OutboundDialer>.Instance);
        handler.Dialer = dialer;
        transports.Start(1);
        return new OutboundStack(meter, transports, dialer, resolver);
    }

    /// <summary>A fixed PCMU offer; no media flows in these tests.</summary>
    public static ReadOnlyMemory<byte> Offer(int port = 40000) => System.Text.Encoding.ASCII.GetBytes(
        $"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n");

    public async ValueTask DisposeAsync()
    {
        Dialer.Dispose();
        await _transports.DisposeAsync().ConfigureAwait(false);
        _meter.Dispose();
    }

    private sealed class Forwarder : ISipMessageHandler
    {
        public OutboundDialer? Dialer { get; set; }

        public void OnReceived(SipMessage message, SipParseStatus status, SipParseError error, in SipRemote source, SipListener listener)
            => Dialer?.TryReceive(message, status, source);
    }
}
