using System.Diagnostics.Metrics;
using System.Net;
using CallTracking.Engine.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallTracking.Tests.Sip.Transport;

/// <summary>A <see cref="SipTransports"/> with one listener on 127.0.0.1:0, its own meter, and a recording handler.</summary>
internal sealed class TransportHarness : IAsyncDisposable
{
    private readonly Meter _meter = new(SipTransportMetrics.MeterName);

    public TransportHarness(SipTransportKind kind, int udpReceiveLoops = 2)
    {
        Metrics = new MetricsRecorder(_meter);
        Transports = new SipTransports(new SipTransportMetrics(_meter));
        Transports.Bind([(kind, new IPEndPoint(IPAddress.Loopback, 0))], Handler, NullLoggerFactory.Instance);
        Transports.Start(udpReceiveLoops);
        Listener = Transports.Listeners.Single();
    }

    public RecordingHandler Handler { get; } = new();

    public MetricsRecorder Metrics { get; }

    public SipTransports Transports { get; }

    public SipListener Listener { get; }

    public async ValueTask DisposeAsync()
    {
        await Transports.DisposeAsync();
        Metrics.Dispose();
        _meter.Dispose();
    }
}
