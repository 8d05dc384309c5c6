using System.Diagnostics;
using System.Globalization;
using CallTracking.Media.Recording;
using CallTracking.Tests.Media.Codecs;

namespace CallTracking.Bench.Media;

/// <summary>
/// The ceiling libopus alone sets on recorded calls: one thread encodes 20 ms frames with the recorder's own
/// encoder (<see cref="OpusRecordingEncoder"/>: 8 kHz stereo, 32 kbit/s, complexity 5, VOIP) back to back for a
/// few seconds; streams encoded in real time per core = 20 ms / mean encode time. Run by bench/load/run
/// (<c>dotnet calltracking-bench.dll opus-ceiling [seconds]</c>); prints one <c>key=value</c> line per signal.
/// </summary>
internal static class OpusCeiling
{
    private const int FrameSamples = 160;
    private const int Frames = 50 * 10;

    public static int Run(string[] args)
    {
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;

        // What the load test records: the caller speaks on the left, the engine's side is silent on the right.
        var voice = CodecTestSignals.VoiceLike(8000, 1, FrameSamples * Frames);
        var callerOnly = new short[voice.Length * 2];
        for (var i = 0; i < voice.Length; i++)
        {
            callerOnly[2 * i] = voice[i];
        }

        // The worst case: both parties talk at once.
        var bothTalk = CodecTestSignals.VoiceLike(8000, 2, FrameSamples * Frames);

        Measure("caller_only", callerOnly, seconds);
        Measure("both_talk", bothTalk, seconds);
        return 0;
    }

    private static void Measure(string name, short[] pcm, double seconds)
    {
        using var encoder = new OpusRecordingEncoder();
        var packet = new byte[1275];

        // Warm up the JIT and the encoder's analysis state.
        for (var frame = 0; frame < Frames; frame++)
        {
            encoder.Encode(pcm.AsSpan(frame * FrameSamples * 2, FrameSamples * 2), FrameSamples, packet);
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long encoded = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (var frame = 0; frame < Frames; frame++)
            {
                encoder.Encode(pcm.AsSpan(frame * FrameSamples * 2, FrameSamples * 2), FrameSamples, packet);
            }

            encoded += Frames;
        }

        var wall = clock.Elapsed;
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        // CPU time, not wall time: on a shared machine another process's time slices must not count against libopus.
        var perFrameUs = cpuUsed.TotalMicroseconds / encoded;
        var streamsPerCore = 20_000 / perFrameUs;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"opus_ceiling signal={name} frames={encoded} wall_s={wall.TotalSeconds:F2} cpu_s={cpuUsed.TotalSeconds:F2} encode_us={perFrameUs:F1} streams_per_core={streamsPerCore:F0}"));
    }
}
