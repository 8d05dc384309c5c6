using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using CallTracking.Media.Codecs;
using CallTracking.Media.Recording;
using CallTracking.Media.Rtp;
using CallTracking.Media.Sessions;
using CallTracking.Media.Transcription;
using CallTracking.Media.Workers;

namespace CallTracking.Tests.Media.Sessions;

/// <summary>
/// A session's live audio tap (<see cref="IMediaSession.Tap"/>) on a real media worker and loopback sockets: one frame
/// per tick with what the caller sent, silence while recording is paused, completed when the session stops, and
/// nothing allocated per packet whether the tap keeps or drops frames.
/// </summary>
public sealed class LiveTapSessionTests : IDisposable
{
    private readonly Meter _meter = new("test.livetap");
    private readonly RtpPortAllocator _ports = new(new RtpPortRange(44000, 44099));
    private readonly MediaEngine _engine;
    private readonly IMediaSession _session;
    private readonly Socket _caller = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly SocketAddress _target;
    private readonly byte[] _packet = new byte[172];
    private readonly byte[] _payload = new byte[160];
    private ushort _sequence = 1000;
    private uint _timestamp;

    public LiveTapSessionTests()
    {
        _engine = new MediaEngine(new MediaEngineOptions(IPAddress.Loopback, _ports.Range, 1), _ports, () => new OpusRecordingEncoder(), TimeProvider.System, _meter);
        Assert.True(_engine.TryOpen(out _session));
        _caller.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _target = new IPEndPoint(IPAddress.Loopback, _session.RtpPort).Serialize();
        _session.Start(new MediaLegOptions(AudioCodec.Pcmu, 0, 101, (IPEndPoint)_caller.LocalEndPoint!, LatchAnySource: false, TimeSpan.FromSeconds(30)), null);

        // 20 ms of a 400 Hz tone (8 whole cycles): repeated, it is a steady tone.
        var tone = new short[160];
        for (var i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(8000 * Math.Sin(2 * Math.PI * 400 * i / 8000.0));
        }

        G711.MuLawEncode(tone, _payload);
    }

    [Fact]
    public void The_tap_gets_a_frame_a_tick_with_the_callers_audio_silence_while_paused_and_completes_at_stop()
    {
        var tap = new LiveAudioTap(capacityFrames: 512);
        _session.Tap(tap);
        for (var i = 0; i < 100; i++)
        {
            SendAndTick();
        }

        _session.PauseRecording();
        for (var i = 0; i < 20; i++)
        {
            SendAndTick();
        }

        _session.ResumeRecording();
        SendAndTick();
        Assert.False(tap.IsCompleted);
        _session.Stop();
        Tick();

        Assert.True(tap.IsCompleted);
        Assert.Equal(121, tap.Frames);
        Assert.Equal(0, tap.Dropped);
        var received = new short[160];
        var sent = new short[160];
        var levels = new List<double>();
        long expected = 0;
        while (tap.TryRead(received, sent, out var index))
        {
            Assert.Equal(expected++, index);
            Assert.All(sent, s => Assert.Equal(0, s));
            levels.Add(Math.Sqrt(received.Average(s => (double)s * s)));
        }

        // What the jitter buffer played out is the tone (this loop is not paced in real time, so the buffer also
        // waits and conceals now and then); the paused ticks (100-119) are silence, whatever was played.
        Assert.Equal(121, levels.Count);
        Assert.True(levels.Take(100).Count(level => level is > 5000 and < 6500) >= 70, string.Join(" ", levels.Select(l => (int)l)));
        Assert.All(levels.Skip(100).Take(20), level => Assert.Equal(0, level));
    }

    [Fact]
    public void A_tapped_call_allocates_nothing_per_packet_whether_the_tap_keeps_or_drops_frames()
    {
        var tap = new LiveAudioTap(capacityFrames: 64);
        _session.Tap(tap);
        var received = new short[160];
        var sent = new short[160];

        // Warm-up: latching, the jitter buffer's first sizing, JIT.
        for (var i = 0; i < 300; i++)
        {
            SendAndTick();
            Drain(tap, received, sent);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 500; i++)
        {
            SendAndTick();
            Drain(tap, received, sent);
        }

        // Nobody reads now: the ring fills and the rest is dropped.
        for (var i = 0; i < 500; i++)
        {
            SendAndTick();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1300, tap.Frames);
        Assert.Equal(500 - tap.Capacity, tap.Dropped);
    }

    public void Dispose()
    {
        _caller.Dispose();
        _engine.Dispose();
        _meter.Dispose();
    }

    private static void Drain(LiveAudioTap tap, short[] received, short[] sent)
    {
        while (tap.TryRead(received, sent, out _))
        {
        }
    }

    private void SendAndTick()
    {
        _sequence++;
        _timestamp += 160;
        var length = RtpWriter.Write(_packet, new RtpHeader(0, _sequence, _timestamp, 0x1234), _payload);
        _caller.SendTo(_packet.AsSpan(0, length), SocketFlags.None, _target);
        Tick();
    }

    private void Tick() => _engine.Workers[0].Tick(TimeProvider.System.GetTimestamp());
}
