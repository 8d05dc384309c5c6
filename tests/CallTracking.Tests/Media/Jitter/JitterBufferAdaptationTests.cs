using CallTracking.Media.Jitter;

namespace CallTracking.Tests.Media.Jitter;

public sealed class JitterBufferAdaptationTests
{
    [Fact]
    public void Jitter_burst_grows_depth_to_cover_it_then_shrinks_back_slowly()
    {
        var random = new Random(7);
        var sim = new JitterSimulation();
        const double burstStart = 10_000, burstEnd = 12_000;
        // ±5 ms, then ±60 ms for 2 s, then ±5 ms again.
        var packets = JitterSimulation.Stream(1500, n =>
        {
            double nominal = n * 20.0;
            double spread = nominal >= burstStart && nominal < burstEnd ? 60 : 5;
            return nominal + 60 + ((random.NextDouble() * 2) - 1) * spread;
        });
        var depthAt = new Dictionary<double, (TimeSpan Target, TimeSpan Current)>();
        sim.Run(packets, 1510, afterPop: tick =>
        {
            double now = 10 + (tick * 20.0);
            depthAt[now] = (sim.Buffer.TargetDepth, sim.Buffer.CurrentDepth);
        });

        (TimeSpan before, _) = depthAt[9_990];
        Assert.True(before <= TimeSpan.FromMilliseconds(40), $"before the burst {before}");

        // Grows within the burst's first half second, after which nothing is late or concealed.
        (TimeSpan target, TimeSpan current) = depthAt[11_990];
        Assert.True(target >= TimeSpan.FromMilliseconds(120), $"target at the end of the burst {target}");
        Assert.True(current >= TimeSpan.FromMilliseconds(120), $"depth at the end of the burst {current}");
        Assert.DoesNotContain(sim.Pops, p => p.Result == PopResult.Missing && p.TimeMs > burstStart + 560 && p.TimeMs < burstEnd + 1000);
        Assert.DoesNotContain(sim.Inserts, i => i.Result == InsertResult.Late && i.Packet.ArrivalMs > burstStart + 560);

        // Shrinks slowly: still deep a second after the burst, back near the start 15 s later.
        Assert.True(depthAt[12_990].Current >= TimeSpan.FromMilliseconds(100), $"a second after {depthAt[12_990]}");
        (target, current) = depthAt[27_990];
        Assert.True(target <= TimeSpan.FromMilliseconds(40), $"target 15 s after {target}");
        Assert.True(current <= TimeSpan.FromMilliseconds(60), $"depth 15 s after {current}");

        // Every received frame that was not played was dropped deliberately or arrived late.
        Assert.Equal(1500, sim.Played().Count + sim.Buffer.LateCount + sim.DroppedReceivedFrames());
        List<ushort> played = sim.Played();
        Assert.Equal(played.Order(), played);
    }

    [Theory]
    [InlineData(+0.005)]
    [InlineData(-0.005)]
    public void Sender_clock_drift_for_ten_minutes_keeps_depth_in_bounds_by_dropping_or_inserting_frames(double drift)
    {
        var random = new Random(11);
        var sim = new JitterSimulation();
        const int ticks = 30_000; // 10 minutes
        double period = 20.0 / (1 + drift);
        int sent = (int)((ticks * 20.0) / period);
        var packets = JitterSimulation.Stream(sent + 50, n => (n * period) + (random.NextDouble() * 4));
        var min = sim.Options.MinDepth;
        var max = sim.Options.MaxDepth;
        sim.Run(packets, ticks, afterPop: tick =>
        {
            if (tick > 10)
            {
                TimeSpan depth = sim.Buffer.CurrentDepth;
                Assert.True(depth >= min && depth <= max, $"tick {tick}: depth {depth}");
            }
        });

        double expected = Math.Abs(drift) * ticks; // 150 frames
        if (drift > 0)
        {
            Assert.InRange(sim.Buffer.DriftDrops, expected - 2, expected + 2);
            Assert.InRange(sim.Buffer.DriftInserts, 0, 2);
        }
        else
        {
            Assert.InRange(sim.Buffer.DriftInserts, expected - 2, expected + 2);
            Assert.InRange(sim.Buffer.DriftDrops, 0, 2);
        }

        Assert.Equal(0, sim.Buffer.LateCount);
        Assert.Equal(sim.Buffer.DriftInserts, sim.Buffer.ConcealmentCount);
        List<ushort> played = sim.Played();
        Assert.True(played.Zip(played.Skip(1)).All(pair => (ushort)(pair.Second - pair.First) is >= 1 and <= 2), "played in order, at most one frame skipped at a time");
    }

    [Fact]
    public void Counters_are_consistent_under_loss_jitter_reordering_and_duplicates()
    {
        var random = new Random(3);
        var sim = new JitterSimulation();
        var packets = JitterSimulation.Stream(3000, n => (n * 20.0) + (random.NextDouble() * 50), include: _ => random.NextDouble() > 0.03);
        var duplicates = packets.Where(_ => random.NextDouble() < 0.05).Select(p => p with { ArrivalMs = p.ArrivalMs + (random.NextDouble() * 100) }).ToList();
        sim.Run(packets.Concat(duplicates), 3000);

        JitterBuffer b = sim.Buffer;
        // Buffering only before playout starts: this stream never pauses long enough to idle.
        int playingTicks = sim.Pops.Count(p => p.Result != PopResult.Buffering);
        Assert.All(sim.Pops.SkipWhile(p => p.Result == PopResult.Buffering), p => Assert.NotEqual(PopResult.Buffering, p.Result));
        Assert.Equal(playingTicks, b.FramesPlayed + b.ConcealmentCount);
        Assert.Equal(sim.Count(PopResult.Frame), b.FramesPlayed);
        Assert.Equal(sim.Count(PopResult.Missing), b.ConcealmentCount);
        Assert.Equal(sim.Count(InsertResult.Late), b.LateCount);
        Assert.Equal(sim.Count(InsertResult.Duplicate), b.DuplicateCount);
        Assert.Equal(0, b.ResetCount);
        List<ushort> played = sim.Played();
        Assert.Equal(played.Order(), played);
        Assert.Equal(played.Count, played.Distinct().Count());
        Assert.InRange(b.DuplicateCount, duplicates.Count - b.LateCount, duplicates.Count);
    }
}
