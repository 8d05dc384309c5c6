using CallTracking.Media.Codecs;
using CallTracking.Media.Recording;

namespace CallTracking.Tests.Media.Recording;

/// <summary>The recording timeline places received audio by RTP timestamp: arrival jitter, bursts, reordering and a
/// caught-up stall change nothing in what is recorded; late packets, new streams and clock jumps are handled.</summary>
public sealed class RecordingTimelineTests
{
    private const int Frame = 160;

    [Fact]
    public void Perfect_timestamps_are_recorded_sample_exact_whatever_the_arrival_jitter()
    {
        var sink = new CaptureSink();
        var timeline = new RecordingTimeline(sink);
        var (payloads, expected) = Stream(500);
        var schedule = JitteredSchedule(payloads.Length, seed: 7);
        Run(timeline, payloads, schedule, ssrc: 0xCAFE, firstTimestamp: 4_000_000_000u, ticks: 520);
        timeline.Flush();

        Assert.Equal(520, sink.Frames);
        Assert.Equal(0, timeline.LatePackets);
        Assert.Equal(0, timeline.Discontinuities);
        Assert.Equal(0, timeline.Slews);
        Assert.Equal(0, timeline.MissingFrames);

        // The first packet arrived on time at tick 0: every sample sits exactly where its timestamp says.
        Assert.Equal(expected, sink.Left.Take(expected.Length).ToArray());
        Assert.All(sink.Left.Skip(expected.Length), s => Assert.Equal(0, s));
    }

    [Fact]
    public void A_caught_up_stall_delivers_a_burst_that_lands_where_it_belongs()
    {
        var sink = new CaptureSink();
        var timeline = new RecordingTimeline(sink);
        var (payloads, expected) = Stream(300);

        // Ticks 100..119 ran back to back at the end of a 400 ms stall: what was sent meanwhile arrives in the first.
        var schedule = Enumerable.Range(0, payloads.Length).Select(k => k is >= 100 and < 120 ? 100 : k).ToArray();
        Run(timeline, payloads, schedule, ssrc: 1, firstTimestamp: 0, ticks: 300);
        timeline.Flush();

        Assert.Equal(0, timeline.LatePackets);
        Assert.Equal(expected, sink.Left.ToArray());
    }

    [Fact]
    public void Packets_later_than_the_hold_are_left_out_and_counted_the_rest_stays_in_place()
    {
        var sink = new CaptureSink();
        var timeline = new RecordingTimeline(sink, holdFrames: 5, capacityFrames: 64);
        var (payloads, expected) = Stream(100);
        var schedule = Enumerable.Range(0, payloads.Length).Select(k => k == 50 ? 58 : k).ToArray();
        Run(timeline, payloads, schedule, ssrc: 1, firstTimestamp: 0, ticks: 100);
        timeline.Flush();

        Assert.Equal(1, timeline.LatePackets);
        Assert.Equal(1, timeline.MissingFrames);
        var left = sink.Left.ToArray();
        Assert.Equal(expected.AsSpan(0, 50 * Frame).ToArray(), left.AsSpan(0, 50 * Frame).ToArray());
        Assert.Equal(expected.AsSpan(51 * Frame).ToArray(), left.AsSpan(51 * Frame).ToArray());

        // The missing frame is concealed: the previous one at half level.
        for (var i = 0; i < Frame; i++)
        {
            Assert.Equal((short)(expected[(49 * Frame) + i] / 2), left[(50 * Frame) + i]);
        }
    }

    [Fact]
    public void A_new_ssrc_continues_at_the_current_position_and_stragglers_of_the_old_keep_their_place()
    {
        var sink = new CaptureSink();
        var timeline = new RecordingTimeline(sink);
        var (payloads, expected) = Stream(100);
        for (var tick = 0; tick < 100; tick++)
        {
            if (tick < 50 && tick != 48)
            {
                timeline.Receive(AudioCodec.Pcmu, 1, 1000 + (uint)(tick * Frame), payloads[tick]);
            }
            else if (tick >= 50)
            {
                // The carrier switched media servers: another SSRC, another clock.
                timeline.Receive(AudioCodec.Pcmu, 2, 77_000_000 + (uint)(tick * Frame), payloads[tick]);
            }

            if (tick == 51)
            {
                timeline.Receive(AudioCodec.Pcmu, 1, 1000 + (48 * Frame), payloads[48]);
            }

            timeline.Tick(default, paused: false);
        }

        timeline.Flush();
        Assert.Equal(0, timeline.LatePackets);
        Assert.Equal(expected, sink.Left.ToArray());
    }

    [Fact]
    public void A_timestamp_jump_continues_at_the_current_position()
    {
        var sink = new CaptureSink();
        var timeline = new RecordingTimeline(sink);
        var (payloads, expected) = Stream(200);
        for (var tick = 0; tick < 200; tick++)
        {
            // The sender's clock jumps 30 s ahead at packet 100 (same SSRC, sequence continues).
            var timestamp = (uint)(tick * Frame) + (tick >= 100 ? 240_000u : 0u);
            timeline.Receive(AudioCodec.Pcmu, 9, timestamp, payloads[tick]);
            timeline.Tick(default, paused: false);
        }

        timeline.Flush();
        Assert.Equal(1, timeline.Discontinuities);
        Assert.Equal(expected, sink.Left.ToArray());
    }

    [Fact]
    public void A_clock_frozen_over_a_hold_continues_at_the_current_position_without_losing_what_follows()
    {
        var sink = new CaptureSink();
        var timeline = new RecordingTimeline(sink);
        var (payloads, expected) = Stream(200);
        var timestamp = 0u;
        for (var tick = 0; tick < 250; tick++)
        {
            // 50 ticks (1 s) of hold from tick 100: nothing sent, and the sender's clock does not move meanwhile.
            if (tick is < 100 or >= 150)
            {
                timeline.Receive(AudioCodec.Pcmu, 9, timestamp, payloads[tick < 100 ? tick : tick - 50]);
                timestamp += Frame;
            }

            timeline.Tick(default, paused: false);
        }

        timeline.Flush();
        Assert.Equal(1, timeline.Discontinuities);
        Assert.Equal(0, timeline.LatePackets);
        var left = sink.Left.ToArray();
        Assert.Equal(expected.AsSpan(0, 100 * Frame).ToArray(), left.AsSpan(0, 100 * Frame).ToArray());
        Assert.Equal(expected.AsSpan(100 * Frame).ToArray(), left.AsSpan(150 * Frame).ToArray());
    }

    [Fact]
    public void The_sent_channel_is_recorded_at_its_tick_and_pauses_cover_exactly_their_frames()
    {
        var sink = new CaptureSink();
        var timeline = new RecordingTimeline(sink);
        var (payloads, expected) = Stream(100);
        var sent = BridgeSignalsSweep(100 * Frame);
        for (var tick = 0; tick < 100; tick++)
        {
            timeline.Receive(AudioCodec.Pcmu, 3, (uint)(tick * Frame), payloads[tick]);
            timeline.Tick(sent.AsSpan(tick * Frame, Frame), paused: tick is >= 40 and < 60);
        }

        timeline.Flush();
        Assert.Equal(100, sink.Frames);
        Assert.Equal(new[] { (40, 60) }, sink.PausedFrames);
        var left = sink.Left.ToArray();
        var right = sink.Right.ToArray();
        Assert.Equal(expected.AsSpan(0, 40 * Frame).ToArray(), left.AsSpan(0, 40 * Frame).ToArray());
        Assert.Equal(sent.AsSpan(0, 40 * Frame).ToArray(), right.AsSpan(0, 40 * Frame).ToArray());
        Assert.Equal(expected.AsSpan(60 * Frame).ToArray(), left.AsSpan(60 * Frame).ToArray());
        Assert.Equal(sent.AsSpan(60 * Frame).ToArray(), right.AsSpan(60 * Frame).ToArray());
    }

    [Fact]
    public void A_slow_sender_clock_is_followed_by_slewing_without_dropping_audio()
    {
        var sink = new CaptureSink();
        var timeline = new RecordingTimeline(sink, holdFrames: 3, capacityFrames: 64);
        var (payloads, _) = Stream(50);

        // The sender's clock runs 300 ppm slow: its packets arrive ever later than their timestamps say (by 240 ms
        // over these 800 s, four times the hold).
        var timestamp = 0.0;
        for (var tick = 0; tick < 40_000; tick++)
        {
            timeline.Receive(AudioCodec.Pcmu, 5, (uint)Math.Round(timestamp), payloads[tick % 50]);
            timestamp += Frame * 0.9997;
            timeline.Tick(default, paused: false);
        }

        timeline.Flush();
        Assert.True(timeline.Slews > 0);
        Assert.Equal(0, timeline.LatePackets);
        Assert.Equal(0, timeline.Discontinuities);
    }

    /// <summary>Packet k is sent at tick k and arrives at the tick the schedule says (never before it was sent):
    /// jitter of a tick or two, bursts of five held back, 100 ms gaps, reordered pairs; the first arrives on time.</summary>
    internal static int[] JitteredSchedule(int count, int seed)
    {
        var random = new Random(seed);
        var arrival = new int[count];
        for (var k = 0; k < count; k++)
        {
            arrival[k] = k + random.Next(0, 3);
        }

        for (var start = 20; start + 10 < count; start += 60)
        {
            // A burst: five packets held back and delivered together.
            for (var k = start; k < start + 5; k++)
            {
                arrival[k] = start + 5;
            }

            // A 100 ms gap, then everything at once, newest first.
            for (var k = start + 25; k < start + 30; k++)
            {
                arrival[k] = start + 30 + 2;
            }
        }

        arrival[0] = 0;
        return arrival;
    }

    /// <summary>Delivers packets by schedule (in each tick, newest first: reordered) and ticks the timeline.</summary>
    private static void Run(RecordingTimeline timeline, byte[][] payloads, int[] schedule, uint ssrc, uint firstTimestamp, int ticks)
    {
        for (var tick = 0; tick < ticks; tick++)
        {
            for (var k = payloads.Length - 1; k >= 0; k--)
            {
                if (schedule[k] == tick)
                {
                    timeline.Receive(AudioCodec.Pcmu, ssrc, firstTimestamp + (uint)(k * Frame), payloads[k]);
                }
            }

            timeline.Tick(default, paused: false);
        }
    }

    /// <summary>G.711 µ-law packets of a non-repeating signal, and what decoding them gives.</summary>
    internal static (byte[][] Payloads, short[] Decoded) Stream(int packets)
    {
        var random = new Random(42);
        var pcm = new short[packets * Frame];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(6000 * Math.Sin(2 * Math.PI * 440 * i / 8000.0) + random.Next(-3000, 3000));
        }

        var payloads = new byte[packets][];
        var decoded = new short[pcm.Length];
        for (var k = 0; k < packets; k++)
        {
            payloads[k] = new byte[Frame];
            G711.MuLawEncode(pcm.AsSpan(k * Frame, Frame), payloads[k]);
            G711.MuLawDecode(payloads[k], decoded.AsSpan(k * Frame, Frame));
        }

        return (payloads, decoded);
    }

    private static short[] BridgeSignalsSweep(int samples) => Enumerable.Range(0, samples).Select(i => (short)(i % 1000)).ToArray();

    /// <summary>Keeps every frame the timeline commits.</summary>
    internal sealed class CaptureSink : IRecordingSink
    {
        private int _pausedAt = -1;

        public List<short> Left { get; } = [];

        public List<short> Right { get; } = [];

        public List<(int, int)> PausedFrames { get; } = [];

        public int Frames { get; private set; }

        public bool IsPaused { get; private set; }

        public void WriteFrame(ReadOnlySpan<short> callerPcm8k, ReadOnlySpan<short> otherPcm8k)
        {
            Assert.Equal(Frame, callerPcm8k.Length);
            Assert.Equal(Frame, otherPcm8k.Length);
            Left.AddRange(IsPaused ? new short[Frame] : callerPcm8k.ToArray());
            Right.AddRange(IsPaused ? new short[Frame] : otherPcm8k.ToArray());
            Frames++;
        }

        public void Pause()
        {
            IsPaused = true;
            _pausedAt = Frames;
        }

        public void Resume()
        {
            IsPaused = false;
            PausedFrames.Add((_pausedAt, Frames));
        }
    }
}
