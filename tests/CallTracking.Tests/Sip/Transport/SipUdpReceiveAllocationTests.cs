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
/// Judged by what the receive loop's own thread allocates between two deliveries
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>), so that other threads' work (an earlier test's
/// lingering loop, a timer, the runner) cannot fail it, as process-wide counts did on CI. The process-wide figure
/// is printed beside it. BenchmarkDotNet's MemoryDiagnoser gives the full figure in bench/Sip.
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

        var totalBefore = GC.GetTotalAllocatedBytes(precise: true);
        handler.StartMeasuring();
        for (var i = 0; i < 20; i++)
        {
            SendBatch(peer, handler);
        }

        var total = (GC.GetTotalAllocatedBytes(precise: true) - totalBefore) / (20.0 * Batch);
        var (bytes, samples) = handler.StopMeasuring();
        var perDatagram = samples == 0 ? double.NaN : bytes / (double)samples;
        output.WriteLine($"UDP receive path: {perDatagram:F1} bytes allocated by the receive loop's thread per {SipTestMessages.TwilioInvite.Length}-byte INVITE over {samples} back-to-back deliveries; {total:F1} bytes per datagram process-wide (all threads, incl. the sending peer and anything else running)");
        Assert.Equal(0, handler.Invalid);
        Assert.True(samples >= Batch, $"only {samples} of {20 * Batch} deliveries followed another on the same thread: the measurement saw too little");
        Assert.True(perDatagram < 64, $"{perDatagram:F1} bytes per datagram allocated by the receive loop's thread");
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

        private bool _measuring;
        private int _lastThread;
        private long _lastAllocated;
        private long _bytes;
        private long _samples;

        public void StartMeasuring()
        {
            _lastThread = 0;
            _bytes = 0;
            _samples = 0;
            Volatile.Write(ref _measuring, true);
        }

        public (long Bytes, long Samples) StopMeasuring()
        {
            Volatile.Write(ref _measuring, false);
            return (_bytes, _samples);
        }

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
            if (Volatile.Read(ref _measuring))
            {
                // One receive loop delivers in order: what this thread allocated since its previous delivery is the
                // cost of one trip round the loop (receive, address, parse, metrics, this handler).
                var thread = Environment.CurrentManagedThreadId;
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                if (thread == _lastThread)
                {
                    _bytes += allocated - _lastAllocated;
                    _samples++;
                }

                _lastThread = thread;
                _lastAllocated = allocated;
            }

            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                Done.Set();
            }
        }
    }
}
