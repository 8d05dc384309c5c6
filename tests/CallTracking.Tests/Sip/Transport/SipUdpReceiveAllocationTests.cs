using System.Diagnostics.Metrics;
using System.Net;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CallTracking.Tests.Sip.Transport;

[CollectionDefinition(nameof(SipUdpReceiveAllocationTests), DisableParallelization = true)]
public sealed class SipUdpReceiveAllocationCollection;

/// <summary>
/// The UDP receive path (receive, source address, parse into the reused message, deliver) after warm-up.
/// Receives complete on thread-pool threads, so this counts every thread's allocations
/// (<see cref="GC.GetTotalAllocatedBytes(bool)"/>) and runs alone, not beside other tests.
/// </summary>
[Collection(nameof(SipUdpReceiveAllocationTests))]
public sealed class SipUdpReceiveAllocationTests(ITestOutputHelper output)
{
    private const int Batch = 100;

    [Fact]
    public async Task Receiving_datagrams_from_one_source_allocates_little_per_datagram()
    {
        using var meter = new Meter(SipTransportMetrics.MeterName);
        var handler = new CountingHandler();
        await using var transport = SipUdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), handler, new SipTransportMetrics(meter), NullLogger.Instance);
        transport.Start(1);
        await using var peer = new UdpTestPeer(transport.Listener.LocalEndPoint);

        for (var i = 0; i < 5; i++)
        {
            SendBatch(peer, handler);
        }

        // Process-wide counts also catch whatever else happens to run (a finishing socket loop of an earlier test, a
        // timer): measure several short windows and judge the cleanest. A regression in the receive path shows in
        // every window; background noise does not.
        const int windows = 5;
        const int batchesPerWindow = 4;
        var perDatagram = new double[windows];
        for (var window = 0; window < windows; window++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < batchesPerWindow; i++)
            {
                SendBatch(peer, handler);
            }

            perDatagram[window] = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)(batchesPerWindow * Batch);
        }

        var cleanest = perDatagram.Min();
        output.WriteLine($"UDP receive path: {cleanest:F1} bytes allocated per {SipTestMessages.TwilioInvite.Length}-byte INVITE in the cleanest window (all windows: {string.Join(", ", perDatagram.Select(p => p.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}; all threads, incl. the sending peer)");
        Assert.Equal(0, handler.Invalid);
        Assert.True(cleanest < 64, $"{cleanest:F1} bytes per datagram in the cleanest of {windows} windows");
    }

    private static void SendBatch(UdpTestPeer peer, CountingHandler handler)
    {
        handler.Expect(Batch);
        for (var i = 0; i < Batch; i++)
        {
            peer.Send(SipTestMessages.TwilioInvite);
        }

        Assert.True(handler.Done.Wait(RecordingHandler.Timeout), "datagrams lost or not delivered");
    }

    /// <summary>Reads what the core reads first and counts, without allocating.</summary>
    private sealed class CountingHandler : ISipMessageHandler
    {
        private int _remaining;

        public ManualResetEventSlim Done { get; } = new();

        public int Invalid { get; private set; }

        public long Sink { get; private set; }

        public void Expect(int count)
        {
            Done.Reset();
            Volatile.Write(ref _remaining, count);
        }

        public void OnReceived(SipMessage message, SipParseStatus status, SipParseError error, in SipRemote source, SipListener listener)
        {
            if (status != SipParseStatus.Complete)
            {
                Invalid++;
            }

            Sink += message.CallId.Length + message.TopVia.Branch.Length + source.EndPoint.Port;
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                Done.Set();
            }
        }
    }
}
