using System.Diagnostics;
using System.Globalization;
using CallTracking.Media.Codecs.Opus;

namespace CallTracking.Bench.Media;

/// <summary>
/// Measures libopus encode cost per 20 ms frame the way the engine's workers pay it, by thread CPU time
/// (<c>/proc/thread-self/schedstat</c>, nanoseconds on a CPU), so other programs on the machine do not count: any
/// number of threads at once (one per core), each with its own encoders, either back to back (a hot loop) or paced
/// like a media worker (one frame per encoder every 20 ms, then sleep to the next tick).
/// </summary>
internal static class EncoderProbe
{
    public const int FrameSamples = 160;

    /// <summary>What one measurement found.</summary>
    internal readonly record struct Result(long Frames, double CpuSeconds, double WallSeconds)
    {
        public double MicrosecondsPerFrame => CpuSeconds * 1e6 / Frames;

        /// <summary>20 ms / CPU per frame: streams one core encodes in real time.</summary>
        public double StreamsPerCore => 20_000 / MicrosecondsPerFrame;
    }

    /// <summary>
    /// <paramref name="threads"/> threads at once, each with <paramref name="encodersPerThread"/> encoders from
    /// <paramref name="create"/>, encoding the interleaved frames of <paramref name="pcm"/> in turn.
    /// </summary>
    /// <param name="pacedTicks">0: back to back for <paramref name="seconds"/>; otherwise this many 20 ms ticks,
    /// each encoding one frame per encoder and then sleeping to the next tick.</param>
    public static Result Run(Func<OpusEncoder> create, short[] pcm, int threads, int encodersPerThread, double seconds, int pacedTicks)
    {
        var results = new (long Frames, long CpuNs)[threads];
        var start = new Barrier(threads + 1);
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            var index = t;
            workers[t] = new Thread(() => results[index] = Work(create, pcm, encodersPerThread, seconds, pacedTicks, start))
            {
                IsBackground = true,
                Name = $"probe-{t}",
            };
            workers[t].Start();
        }

        start.SignalAndWait();
        var wall = Stopwatch.StartNew();
        foreach (var worker in workers)
        {
            worker.Join();
        }

        long frames = 0, cpu = 0;
        foreach (var (f, c) in results)
        {
            frames += f;
            cpu += c;
        }

        return new Result(frames, cpu / 1e9, wall.Elapsed.TotalSeconds);
    }

    public static string Line(string name, int threads, int encodersPerThread, string mode, Result r) => string.Create(
        CultureInfo.InvariantCulture,
        $"opus_probe signal={name} threads={threads} encoders_per_thread={encodersPerThread} mode={mode} frames={r.Frames} wall_s={r.WallSeconds:F2} cpu_s={r.CpuSeconds:F2} encode_us={r.MicrosecondsPerFrame:F1} streams_per_core={r.StreamsPerCore:F0}");

    private static (long, long) Work(Func<OpusEncoder> create, short[] pcm, int count, double seconds, int pacedTicks, Barrier start)
    {
        var channels = 0;
        var encoders = new OpusEncoder[count];
        for (var i = 0; i < count; i++)
        {
            encoders[i] = create();
            channels = encoders[i].Channels;
        }

        var frameLength = FrameSamples * channels;
        var framesInSignal = pcm.Length / frameLength;
        var packet = new byte[1275];

        // Warm up the JIT and every encoder's analysis state.
        for (var i = 0; i < count; i++)
        {
            for (var frame = 0; frame < 25; frame++)
            {
                encoders[i].Encode(pcm.AsSpan(frame * frameLength, frameLength), FrameSamples, packet);
            }
        }

        start.SignalAndWait();
        long frames = 0;
        var position = 0;
        var cpu0 = ThreadCpuNanoseconds();
        if (pacedTicks == 0)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                for (var i = 0; i < count; i++)
                {
                    encoders[i].Encode(pcm.AsSpan(position * frameLength, frameLength), FrameSamples, packet);
                    position = (position + 1) % framesInSignal;
                }

                frames += count;
            }
        }
        else
        {
            // As a media worker does: every 20 ms one frame for each of its calls, then the thread sleeps.
            var next = Stopwatch.GetTimestamp();
            var interval = Stopwatch.Frequency / 50;
            for (var tick = 0; tick < pacedTicks; tick++)
            {
                for (var i = 0; i < count; i++)
                {
                    encoders[i].Encode(pcm.AsSpan(((position + i) % framesInSignal) * frameLength, frameLength), FrameSamples, packet);
                }

                position = (position + 1) % framesInSignal;
                frames += count;
                next += interval;
                var wait = next - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    Thread.Sleep(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                }
            }
        }

        var cpu = ThreadCpuNanoseconds() - cpu0;
        foreach (var encoder in encoders)
        {
            encoder.Dispose();
        }

        return (frames, cpu);
    }

    /// <summary>Nanoseconds this thread has run on a CPU (Linux schedstat: the first field).</summary>
    private static long ThreadCpuNanoseconds()
    {
        var text = File.ReadAllText("/proc/thread-self/schedstat");
        return long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
    }
}
