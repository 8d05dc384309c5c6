using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using CallTracking.Media.Codecs;
using CallTracking.Media.Recording;
using CallTracking.Media.Rtp;
using CallTracking.Media.Sessions;
using CallTracking.Media.Workers;

namespace CallTracking.Tests.Media.Sessions;

/// <summary>
/// The per-packet media path — socket drain, RTP parse, statistics, jitter buffer, G.711 decode, the recording
/// timeline (placing by timestamp, committing after the hold), Opus recording,
/// RTCP — allocates nothing once a call is running. Real loopback sockets; the worker's tick is driven by the test.
/// </summary>
public sealed class MediaPathAllocationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("calltracking-media-").FullName;
    private readonly Meter _meter = new("test.media");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Running_call_allocates_nothing_per_packet(bool recording)
    {
        var ports = new RtpPortAllocator(new RtpPortRange(41000, 41199));
        using var engine = new MediaEngine(new MediaEngineOptions(IPAddress.Loopback, ports.Range, 1), ports, () => new OpusRecordingEncoder(), TimeProvider.System, _meter);
        Assert.True(engine.TryOpen(out var session));
        using var caller = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        caller.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var callerEndPoint = (IPEndPoint)caller.LocalEndPoint!;
        var target = new IPEndPoint(IPAddress.Loopback, session.RtpPort).Serialize();
        session.Start(
            new MediaLegOptions(AudioCodec.Pcmu, 0, 101, callerEndPoint, LatchAnySource: false, TimeSpan.FromSeconds(30)),
            recording ? Path.Combine(_directory, "call.opus") : null);
        var worker = engine.Workers[0];
        var packet = new byte[172];
        // 20 ms of a 400 Hz tone (8 whole cycles, so repeating it is seamless): real audio for the recorder.
        var tone = new short[160];
        for (var i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(8000 * Math.Sin(2 * Math.PI * 400 * i / 8000.0));
        }

        var payload = new byte[160];
        G711.MuLawEncode(tone, payload);
        ushort sequence = 1000;
        uint timestamp = 0;

        void SendAndTick()
        {
            sequence++;
            timestamp += 160;
            var length = RtpWriter.Write(packet, new RtpHeader(0, sequence, timestamp, 0x1234), payload);
            caller.SendTo(packet.AsSpan(0, length), SocketFlags.None, target);
            worker.Tick(TimeProvider.System.GetTimestamp());
        }

        // Warm-up: latching, first-packet jitter buffer sizing, JIT, the first Ogg pages.
        for (var i = 0; i < 300; i++)
        {
            SendAndTick();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 500; i++)
        {
            SendAndTick();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        session.Stop();
        worker.Tick(TimeProvider.System.GetTimestamp());
        Assert.Equal(0, allocated);

        // …and the path really ran: every packet was heard, and recorded when asked.
        Assert.True(engine.Events.TryRead(out var stopped));
        Assert.Equal(MediaEventKind.Stopped, stopped.Kind);
        var summary = stopped.Summary!;
        Assert.InRange(summary.PacketsReceived, 790, 800);
        Assert.Equal(0, summary.PacketsLost);
        if (recording)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(20 * 800), summary.RecordingDuration);
            // 16 s of tone at the recorder's 32 kbit/s is tens of kilobytes, and all of it is on disk.
            Assert.True(summary.RecordingBytes > 20_000, $"{summary.RecordingBytes} bytes");
            Assert.Equal(summary.RecordingBytes, new FileInfo(summary.RecordingPath!).Length);
        }
    }

    public void Dispose()
    {
        _meter.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
