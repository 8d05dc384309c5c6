using CallTracking.Media.Jitter;

namespace CallTracking.Tests.Media.Jitter;

public sealed class JitterBufferOrderingTests
{
    private const int Frames = 500;

    [Fact]
    public void Perfect_stream_plays_every_frame_once_in_order_after_the_initial_depth()
    {
        var sim = new JitterSimulation();
        sim.Run(JitterSimulation.Stream(Frames, n => n * 20.0), Frames + 1);

        Assert.Equal(Enumerable.Range(0, Frames).Select(n => (ushort)n), sim.Played());
        int firstFrameTick = sim.Pops.First(p => p.Result == PopResult.Frame).Tick;
        Assert.Equal(1, firstFrameTick); // initial depth 40 ms: one tick of buffering
        Assert.All(sim.Pops.Take(firstFrameTick), p => Assert.Equal(PopResult.Buffering, p.Result));
        Assert.All(sim.Pops.Skip(firstFrameTick).Take(Frames), p => Assert.Equal(PopResult.Frame, p.Result));
        Assert.Equal((0, 0, 0L), (sim.Count(PopResult.Missing), sim.Buffer.DriftDrops + sim.Buffer.DriftInserts, sim.Buffer.LateCount));
        Assert.Equal(
            new FrameInfo(7, 1000 + (7 * 160), JitterSimulation.Ssrc, false),
            sim.Pops.First(p => p.Info.SequenceNumber == 7 && p.Result == PopResult.Frame).Info);
    }

    [Fact]
    public void Adjacent_pairs_swapped_play_in_order_without_concealment()
    {
        var sim = new JitterSimulation(new JitterBufferOptions { MinDepth = TimeSpan.FromMilliseconds(60) });
        // Frame 2k arrives 1 ms after frame 2k+1.
        sim.Run(JitterSimulation.Stream(Frames, n => n % 2 == 0 ? ((n + 1) * 20.0) + 1 : n * 20.0), Frames + 4);

        Assert.Equal(Enumerable.Range(0, Frames).Select(n => (ushort)n), sim.Played());
        Assert.Equal(0, sim.MissingWhileStreaming());
        Assert.Equal(0, sim.Buffer.LateCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_reorder_within_60ms_plays_in_order_without_concealment_when_depth_covers_it(int seed)
    {
        var random = new Random(seed);
        var sim = new JitterSimulation(new JitterBufferOptions { MinDepth = TimeSpan.FromMilliseconds(80) });
        sim.Run(JitterSimulation.Stream(Frames, n => (n * 20.0) + (random.NextDouble() * 60)), Frames + 10);

        List<ushort> played = sim.Played();
        Assert.Equal(played.Order(), played);
        Assert.Equal(played.Count, played.Distinct().Count());
        Assert.Equal(0, sim.MissingWhileStreaming());
        Assert.Equal(0, sim.Buffer.LateCount);
        // A frame that is not played was dropped on purpose to steer the depth, and counted.
        Assert.Equal(Frames, played.Count + sim.DroppedReceivedFrames());
        Assert.True(sim.DroppedReceivedFrames() <= 2, $"drops {sim.DroppedReceivedFrames()}");
    }

    [Fact]
    public void Every_tenth_packet_lost_is_missing_exactly_there_and_the_rest_plays()
    {
        var sim = new JitterSimulation(new JitterBufferOptions { MinDepth = TimeSpan.FromMilliseconds(40) });
        sim.Run(JitterSimulation.Stream(Frames, n => n * 20.0, include: n => n % 10 != 9), Frames + 1);

        List<string> expected = Enumerable.Range(0, Frames).Select(n => n % 10 == 9 ? "-" : n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expected, sim.Timeline().Take(Frames));
        Assert.Equal(Frames / 10, sim.Buffer.ConcealmentCount);
        Assert.Equal(0, sim.Buffer.DriftDrops + sim.Buffer.DriftInserts);
    }

    [Fact]
    public void Missing_frame_reports_the_timestamp_it_would_have_had()
    {
        var sim = new JitterSimulation(new JitterBufferOptions { MinDepth = TimeSpan.FromMilliseconds(40) });
        sim.Run(JitterSimulation.Stream(20, n => n * 20.0, include: n => n != 5), 10);

        PopRecord missing = Assert.Single(sim.Pops, p => p.Result == PopResult.Missing);
        Assert.Equal(1000u + (5 * 160), missing.Info.Timestamp);
    }

    [Fact]
    public void Duplicates_are_ignored_and_counted()
    {
        var sim = new JitterSimulation();
        List<SimPacket> stream = JitterSimulation.Stream(Frames, n => n * 20.0);
        // Every packet again 5 ms later, and every fifth once more after it was played.
        var copies = stream.Select(p => p with { ArrivalMs = p.ArrivalMs + 5 })
            .Concat(stream.Where(p => p.Seq % 5 == 0).Select(p => p with { ArrivalMs = p.ArrivalMs + 50 }));
        sim.Run(stream.Concat(copies), Frames + 1);

        Assert.Equal(Enumerable.Range(0, Frames).Select(n => (ushort)n), sim.Played());
        Assert.Equal(Frames + (Frames / 5), sim.Buffer.DuplicateCount);
        Assert.Equal(sim.Buffer.DuplicateCount, sim.Count(InsertResult.Duplicate));
        Assert.Equal(0, sim.Buffer.ConcealmentCount);
    }

    [Fact]
    public void Sequence_and_timestamp_wrap_around_play_continuously()
    {
        var sim = new JitterSimulation();
        const ushort firstSeq = 65500;
        uint firstTs = uint.MaxValue - (160 * 30);
        sim.Run(JitterSimulation.Stream(200, n => n * 20.0, firstSeq, firstTs), 201);

        Assert.Equal(Enumerable.Range(0, 200).Select(n => unchecked((ushort)(firstSeq + n))), sim.Played());
        Assert.Equal(0, sim.Buffer.ConcealmentCount + sim.Buffer.LateCount + sim.Buffer.ResetCount + sim.Buffer.RealignmentCount);
    }

    [Fact]
    public void A_packet_arriving_a_second_late_is_late_and_its_frame_was_concealed()
    {
        var sim = new JitterSimulation(new JitterBufferOptions { MinDepth = TimeSpan.FromMilliseconds(40) });
        List<SimPacket> stream = JitterSimulation.Stream(200, n => n == 10 ? 1200 : n * 20.0);
        sim.Run(stream, 150);

        Assert.Equal(InsertResult.Late, sim.Inserts.Single(i => i.Packet.Seq == 10).Result);
        Assert.Equal(1, sim.Buffer.LateCount);
        Assert.Equal(["9", "-", "11"], sim.Timeline().Skip(9).Take(3));
    }

    [Fact]
    public void Payload_larger_than_a_slot_is_too_large_and_not_buffered()
    {
        var sim = new JitterSimulation(new JitterBufferOptions { SlotPayloadCapacity = 200, MinDepth = TimeSpan.FromMilliseconds(40) });
        var packets = JitterSimulation.Stream(10, n => n * 20.0)
            .Select(p => p.Seq == 3 ? p with { PayloadLength = 201 } : p);
        sim.Run(packets, 12);

        Assert.Equal(InsertResult.TooLarge, sim.Inserts.Single(i => i.Packet.Seq == 3).Result);
        Assert.Equal(1, sim.Buffer.TooLargeCount);
        Assert.DoesNotContain((ushort)3, sim.Played());
        Assert.Equal(["2", "-", "4"], sim.Timeline().Skip(2).Take(3));
    }

    [Fact]
    public void Destination_smaller_than_the_frame_throws()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { InitialDepth = TimeSpan.FromMilliseconds(20) }, TimeProvider.System);
        buffer.Insert(1, 160, 7, false, new byte[160], 0);
        Assert.Throws<ArgumentException>(() => buffer.Pop(new byte[100], out _, out _));
    }

    [Theory]
    [InlineData(10, 200)]
    [InlineData(40, 30)]
    public void Invalid_depths_are_refused(int minMs, int maxMs) =>
        Assert.Throws<ArgumentException>(() => new JitterBuffer(
            new JitterBufferOptions { MinDepth = TimeSpan.FromMilliseconds(minMs), MaxDepth = TimeSpan.FromMilliseconds(maxMs) },
            TimeProvider.System));
}
