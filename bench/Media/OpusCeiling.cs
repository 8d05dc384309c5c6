using System.Diagnostics;
using System.Globalization;
using CallTracking.Media.Codecs.Opus;
using CallTracking.Media.Recording;
using CallTracking.Tests.Media.Codecs;

namespace CallTracking.Bench.Media;

/// <summary>
/// The ceiling libopus alone sets on recorded calls: one thread encodes 20 ms frames with the recorder's own
/// encoder (<see cref="OpusRecordingEncoder"/>: 8 kHz stereo, 48 kbit/s, complexity 5, CELT) back to back for a
/// few seconds; streams encoded in real time per core = 20 ms / mean encode time. Run by bench/load/run
/// (<c>dotnet calltracking-bench.dll opus-ceiling [seconds]</c>); prints one <c>key=value</c> line per signal.
/// </summary>
internal static class OpusCeiling
{
    private const int FrameSamples = 160;
    private const int Frames = 50 * 10;

    /// <summary>
    /// <c>opus-probe &lt;pcap&gt; [seconds] [paced ticks] [encoders per thread]</c>: the diagnosis rows (thread CPU time per
    /// frame: one thread or one per core, hot loop or paced like a worker; stereo as recorded now, mono per channel).
    /// </summary>
    public static int Probe(string[] args)
    {
        var pcap = args[1];
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var ticks = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 250;
        var perThread = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 100;
        var stereo = CallerOnlyFromPcap(pcap);
        var mono = new short[stereo.Length / 2];
        for (var i = 0; i < mono.Length; i++)
        {
            mono[i] = stereo[2 * i];
        }

        var silence = new short[mono.Length];
        var cores = Environment.ProcessorCount;
        OpusEncoder Stereo() => new(8000, 2, OpusRecordingEncoder.Application, OpusRecordingEncoder.Bitrate, OpusRecordingEncoder.Complexity);
        OpusEncoder Mono() => new(8000, 1, OpusRecordingEncoder.Application, 32_000, OpusRecordingEncoder.Complexity);
        foreach (var (name, create, pcm) in new (string, Func<OpusEncoder>, short[])[]
        {
            ("stereo_caller_only", Stereo, stereo),
            ("mono_caller", Mono, mono),
            ("mono_silence", Mono, silence),
        })
        {
            Console.WriteLine(EncoderProbe.Line(name, 1, 1, "loop", EncoderProbe.Run(create, pcm, 1, 1, seconds, 0)));
            Console.WriteLine(EncoderProbe.Line(name, cores, 1, "loop", EncoderProbe.Run(create, pcm, cores, 1, seconds, 0)));
            Console.WriteLine(EncoderProbe.Line(name, cores, perThread, "loop", EncoderProbe.Run(create, pcm, cores, perThread, seconds, 0)));
            Console.WriteLine(EncoderProbe.Line(name, cores, perThread, "paced", EncoderProbe.Run(create, pcm, cores, perThread, seconds, ticks)));
        }

        return 0;
    }

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

        Measure("caller_only", callerOnly, seconds, 1);
        Measure("both_talk", bothTalk, seconds, 1);

        // What a loaded worker does: one frame for each of many calls in turn, so every encoder's state has left the
        // CPU caches by the time its next frame comes. The difference to caller_only is the cost of cache misses.
        Measure("caller_only_200_encoders", callerOnly, seconds, 200);

        // The audio the load test plays (bench/load/make_pcap.py), decoded from its µ-law, as the recorder sees it.
        if (args.Length > 2)
        {
            var loadPcap = CallerOnlyFromPcap(args[2]);
            Measure("load_pcap", loadPcap, seconds, 1);

            // The ceiling bench/load/run compares with: every core encoding at once (one thread per core, each with its
            // own encoder, thread CPU time), since "per core" on a shared 2-core machine must not assume the other
            // core idle (one thread × cores would flatter a turbo clock and an unshared cache).
            var cores = Environment.ProcessorCount;
            var all = EncoderProbe.Run(
                () => new OpusEncoder(8000, 2, OpusRecordingEncoder.Application, OpusRecordingEncoder.Bitrate, OpusRecordingEncoder.Complexity),
                loadPcap,
                cores,
                1,
                seconds,
                0);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"opus_ceiling signal=load_pcap_all_cores threads={cores} frames={all.Frames} wall_s={all.WallSeconds:F2} cpu_s={all.CpuSeconds:F2} encode_us={all.MicrosecondsPerFrame:F1} streams_per_core={all.StreamsPerCore:F0}"));
        }

        return 0;
    }

    /// <summary>Left = the µ-law payloads of a pcap of 172-byte RTP packets (Ethernet + IPv4 + UDP + RTP), right = silence.</summary>
    private static short[] CallerOnlyFromPcap(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var pcm = new short[FrameSamples * Frames * 2];
        var offset = 24;
        for (var frame = 0; frame < Frames && offset + 16 <= bytes.Length; frame++)
        {
            var captured = BitConverter.ToInt32(bytes, offset + 8);
            var payload = bytes.AsSpan(offset + 16 + 14 + 20 + 8 + 12, FrameSamples);
            var decoded = new short[FrameSamples];
            CallTracking.Media.Codecs.G711.MuLawDecode(payload, decoded);
            for (var i = 0; i < FrameSamples; i++)
            {
                pcm[((frame * FrameSamples) + i) * 2] = decoded[i];
            }

            offset += 16 + captured;
        }

        return pcm;
    }

    private static void Measure(string name, short[] pcm, double seconds, int encoderCount)
    {
        var encoders = new OpusRecordingEncoder[encoderCount];
        for (var i = 0; i < encoders.Length; i++)
        {
            encoders[i] = new OpusRecordingEncoder();
        }

        var packet = new byte[1275];

        // Warm up the JIT and every encoder's analysis state.
        foreach (var warm in encoders)
        {
            for (var frame = 0; frame < 50; frame++)
            {
                warm.Encode(pcm.AsSpan(frame * FrameSamples * 2, FrameSamples * 2), FrameSamples, packet);
            }
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long encoded = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (var frame = 0; frame < Frames; frame++)
            {
                encoders[frame % encoders.Length].Encode(pcm.AsSpan(frame * FrameSamples * 2, FrameSamples * 2), FrameSamples, packet);
            }

            encoded += Frames;
        }

        foreach (var encoder in encoders)
        {
            encoder.Dispose();
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
