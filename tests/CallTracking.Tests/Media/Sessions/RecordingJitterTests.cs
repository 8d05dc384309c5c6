using System.Net;
using System.Net.Sockets;
using CallTracking.Media.Codecs;
using CallTracking.Media.Recording;
using CallTracking.Media.Rtp;
using CallTracking.Media.Sessions;
using CallTracking.Tests.Media.Recording;

namespace CallTracking.Tests.Media.Sessions;

/// <summary>
/// A leg's recording places the caller's audio by RTP timestamp: a stream with perfect timestamps but heavy arrival
/// jitter (bursts, 100 ms gaps, reordering) through real loopback sockets is recorded sample-exact at one constant
/// lag, although the jitter buffer's playout adapts (inserts and drops) meanwhile. The recorder's encoder is a
/// capture, so the test sees the exact PCM the recording was given.
/// </summary>
public sealed class RecordingJitterTests
{
    private const int Frame = 160;

    [Fact]
    public void Perfect_timestamps_with_heavy_arrival_jitter_are_recorded_sample_aligned()
    {
        using var folder = new TempFolder();
        var encoder = new CapturingEncoder();
        using var rig = new BridgeRig(43400, recordingEncoder: () => encoder);
        Assert.True(rig.Engine.TryOpen(out var leg));
        using var phone = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        phone.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, leg.RtpPort).Serialize();
        leg.Start(new MediaLegOptions(AudioCodec.Pcmu, 0, 101, (IPEndPoint)phone.LocalEndPoint!, LatchAnySource: false, TimeSpan.FromSeconds(30)), folder.File("call.opus"));
        var worker = rig.WorkerOf(1);

        const int packets = 600;
        var (payloads, expected) = RecordingTimelineTests.Stream(packets);
        var schedule = RecordingTimelineTests.JitteredSchedule(packets, seed: 3);

        // Also bursts like a caught-up 300 ms stall delivers: fifteen packets at once.
        for (var k = 400; k < 415; k++)
        {
            schedule[k] = 415;
        }

        var wire = new byte[Frame + 12];
        for (var tick = 0; tick < packets + 30; tick++)
        {
            // What arrives during this tick goes out newest first: reordered.
            for (var k = packets - 1; k >= 0; k--)
            {
                if (schedule[k] == tick)
                {
                    var length = RtpWriter.Write(wire, new RtpHeader(0, (ushort)(65_000 + k), 4_294_000_000u + (uint)(k * Frame), 0xBEEF), payloads[k]);
                    phone.SendTo(wire.AsSpan(0, length), SocketFlags.None, target);
                }
            }

            worker.Tick(TimeProvider.System.GetTimestamp());
        }

        leg.Stop();
        worker.Tick(TimeProvider.System.GetTimestamp());
        var summary = rig.Events().Single(e => e.Kind == MediaEventKind.Stopped).Summary!;
        Assert.Equal(packets, summary.PacketsReceived);
        Assert.Equal(TimeSpan.FromMilliseconds(20 * (packets + 30)), summary.RecordingDuration);
        var left = encoder.Left.ToArray();

        // One lag for the whole call: where the first 500 ms line up.
        var (first, lag) = Signals.BestCorrelation(expected, left, 0, 4000, 40 * Frame);
        Assert.True(first > 0.99, $"first chunk r = {first:0.0000} at lag {lag}");
        Assert.InRange(lag, 0, 2 * Frame);
        for (var chunk = 0; chunk + 4000 <= expected.Length; chunk += 4000)
        {
            var (r, at) = Signals.BestCorrelation(expected, left, chunk, 4000, 40 * Frame);
            Assert.True(r > 0.99 && at == lag, $"chunk at {chunk / 8} ms: r = {r:0.0000} at lag {at}, the call's lag is {lag}");
        }

        Assert.Equal(expected, left.AsSpan(lag, expected.Length).ToArray());
    }

    [Fact]
    public void A_pause_silences_the_frames_of_its_ticks_and_is_reported_at_their_times()
    {
        using var folder = new TempFolder();
        var encoder = new CapturingEncoder();
        using var rig = new BridgeRig(43450, recordingEncoder: () => encoder);
        Assert.True(rig.Engine.TryOpen(out var leg));
        using var phone = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        phone.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, leg.RtpPort).Serialize();
        leg.Start(new MediaLegOptions(AudioCodec.Pcmu, 0, 101, (IPEndPoint)phone.LocalEndPoint!, LatchAnySource: false, TimeSpan.FromSeconds(30)), folder.File("call.opus"));
        var worker = rig.WorkerOf(1);
        var (payloads, expected) = RecordingTimelineTests.Stream(200);
        var wire = new byte[Frame + 12];
        for (var tick = 0; tick < 200; tick++)
        {
            if (tick == 100)
            {
                leg.PauseRecording();
            }
            else if (tick == 150)
            {
                leg.ResumeRecording();
            }

            var length = RtpWriter.Write(wire, new RtpHeader(0, (ushort)tick, (uint)(tick * Frame), 0xBEEF), payloads[tick]);
            phone.SendTo(wire.AsSpan(0, length), SocketFlags.None, target);
            worker.Tick(TimeProvider.System.GetTimestamp());
        }

        leg.Stop();
        worker.Tick(TimeProvider.System.GetTimestamp());
        var summary = rig.Events().Single(e => e.Kind == MediaEventKind.Stopped).Summary!;
        Assert.Equal(new[] { (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)) }, summary.PausedSpans);
        var left = encoder.Left.ToArray();
        Assert.Equal(expected.AsSpan(0, 100 * Frame).ToArray(), left.AsSpan(0, 100 * Frame).ToArray());
        Assert.All(left.AsSpan(100 * Frame, 50 * Frame).ToArray(), s => Assert.Equal(0, s));
        Assert.Equal(expected.AsSpan(150 * Frame).ToArray(), left.AsSpan(150 * Frame, 50 * Frame).ToArray());
    }

    /// <summary>A stand-in for the Opus encoder that keeps the PCM it is given (left channel) and returns a one-byte packet.</summary>
    private sealed class CapturingEncoder : IOpusFrameEncoder
    {
        public List<short> Left { get; } = [];

        public int InputSampleRate => 8000;

        public int Channels => 2;

        public int Lookahead => 0;

        public int Encode(ReadOnlySpan<short> interleavedPcm, int frameSizePerChannel, Span<byte> packet)
        {
            for (var i = 0; i < frameSizePerChannel; i++)
            {
                Left.Add(interleavedPcm[2 * i]);
            }

            packet[0] = 0xF8;
            return 1;
        }
    }
}
