using CallTracking.Media.Jitter;

namespace CallTracking.Tests.Media.Jitter;

public sealed class JitterBufferStreamChangeTests
{
    [Theory]
    [InlineData(1_000_000_000L)]
    [InlineData(-400_000L)]
    [InlineData(-160L)]
    public void Timestamp_jump_with_continuous_sequence_is_realigned_without_a_stall(long jump)
    {
        var sim = new JitterSimulation();
        var packets = JitterSimulation.Stream(300, n => n * 20.0)
            .Select(p => p.Seq >= 100 ? p with { Ts = unchecked((uint)(p.Ts + jump)) } : p);
        sim.Run(packets, 301);

        Assert.Equal(Enumerable.Range(0, 300).Select(n => (ushort)n), sim.Played());
        Assert.Equal(0, sim.Buffer.ConcealmentCount);
        Assert.Equal(0, sim.Buffer.ResetCount);
    }

    [Fact]
    public void Timestamp_jump_realigns_and_counts_it()
    {
        var sim = new JitterSimulation();
        var packets = JitterSimulation.Stream(200, n => n * 20.0)
            .Select(p => p.Seq >= 100 ? p with { Ts = p.Ts + 50_000_000 } : p);
        sim.Run(packets, 201);

        Assert.Equal(1, sim.Buffer.RealignmentCount);
        Assert.Equal(["99", "100", "101"], sim.Timeline().Skip(99).Take(3));
        Assert.Equal(50_000_000u + 1000 + (150 * 160), sim.Pops.Single(p => p.Info.SequenceNumber == 150 && p.Result == PopResult.Frame).Info.Timestamp);
    }

    [Fact]
    public void Silence_suppression_gap_plays_the_next_talkspurt_at_target_depth()
    {
        var sim = new JitterSimulation();
        // 2 s of speech, 3 s of silence (no packets, timestamps keep counting), then speech with the marker set.
        var packets = JitterSimulation.Stream(100, n => n * 20.0)
            .Concat(JitterSimulation.Stream(100, n => 5000 + (n * 20.0), firstSeq: 100, firstTs: 1000 + (250 * 160))
                .Select(p => p.Seq == 100 ? p with { Marker = true } : p));
        sim.Run(packets, 360);

        Assert.Equal(Enumerable.Range(0, 200).Select(n => (ushort)n), sim.Played());
        Assert.Equal(0, sim.Buffer.RealignmentCount);
        PopRecord first = sim.Pops.Single(p => p.Result == PopResult.Frame && p.Info.SequenceNumber == 100);
        Assert.True(first.Info.Marker);
        Assert.InRange(first.TimeMs - 5000, 0, sim.Buffer.TargetDepth.TotalMilliseconds + 20);
        // The silence is concealed briefly, then the buffer idles (the caller plays silence).
        Assert.Contains(sim.Pops, p => p.Result == PopResult.Buffering && p.TimeMs > 2500 && p.TimeMs < 5000);
        Assert.InRange(sim.MissingWhileStreaming(), 1, 10);
    }

    [Fact]
    public void Ssrc_switch_resets_plays_the_new_stream_promptly_and_discards_the_old_streams_stragglers()
    {
        var sim = new JitterSimulation();
        const uint newSsrc = 0xbeef;
        var oldStream = JitterSimulation.Stream(200, n => n * 20.0);
        // The carrier switches at 4 s; two old packets were delayed in the network.
        var stragglers = oldStream.Where(p => p.Seq is 197 or 199).Select(p => p with { ArrivalMs = 4010 + (p.Seq - 197) * 10 });
        oldStream = oldStream.Where(p => p.Seq is not (197 or 199)).ToList();
        var newStream = JitterSimulation.Stream(200, n => 4000 + (n * 20.0), firstSeq: 40000, firstTs: 123_456_789, ssrc: newSsrc);
        sim.Run(oldStream.Concat(stragglers).Concat(newStream), 420);

        Assert.Equal(InsertResult.Reset, sim.Inserts.Single(i => i.Packet.Ssrc == newSsrc && i.Packet.Seq == 40000).Result);
        Assert.Equal(1, sim.Buffer.ResetCount);
        Assert.All(sim.Inserts.Where(i => i.Packet.Seq is 197 or 199), i => Assert.Equal(InsertResult.Late, i.Result));

        PopRecord first = sim.Pops.First(p => p.Result == PopResult.Frame && p.Info.Ssrc == newSsrc);
        Assert.Equal(40000, first.Info.SequenceNumber);
        Assert.InRange(first.TimeMs - 4000, 0, sim.Buffer.TargetDepth.TotalMilliseconds + 20);
        Assert.Equal(
            Enumerable.Range(0, 200).Select(n => (ushort)(40000 + n)),
            sim.Pops.Where(p => p.Result == PopResult.Frame && p.Info.Ssrc == newSsrc).Select(p => p.Info.SequenceNumber));
        Assert.DoesNotContain(sim.Pops.SkipWhile(p => p != first), p => p.Result == PopResult.Frame && p.Info.Ssrc != newSsrc);
    }

    [Fact]
    public void Sequence_jump_beyond_dropout_restarts_on_the_new_packet()
    {
        var sim = new JitterSimulation();
        var packets = JitterSimulation.Stream(100, n => n * 20.0)
            .Concat(JitterSimulation.Stream(100, n => 2000 + (n * 20.0), firstSeq: 30000, firstTs: 9_000_000));
        sim.Run(packets, 210);

        Assert.Equal(InsertResult.Reset, sim.Inserts.Single(i => i.Packet.Seq == 30000).Result);
        // The old stream's last frame was still buffered when the restart flushed it.
        Assert.Equal(Enumerable.Range(0, 99).Concat(Enumerable.Range(30000, 100)).Select(n => (ushort)n), sim.Played());
    }
}
