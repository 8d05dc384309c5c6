namespace CallTracking.Tests.Media.Codecs;

/// <summary>Test signals shared by the codec tests and bench/Media/CodecBenchmarks.</summary>
public static class CodecTestSignals
{
    /// <summary>440 Hz on the left (or only) channel, 660 Hz on the right, so a channel swap would show; interleaved.</summary>
    public static short[] Tone(int sampleRate, int channels, int samplesPerChannel, double amplitude = 10000)
    {
        var pcm = new short[samplesPerChannel * channels];
        for (var i = 0; i < samplesPerChannel; i++)
        {
            for (var channel = 0; channel < channels; channel++)
            {
                var frequency = channel == 0 ? 440 : 660;
                pcm[(i * channels) + channel] = (short)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
            }
        }

        return pcm;
    }

    /// <summary>A voice-like test signal: a 150 Hz harmonic series with a 4 Hz syllable envelope plus deterministic noise.</summary>
    public static short[] VoiceLike(int sampleRate, int channels, int samplesPerChannel)
    {
        var random = new Random(4733);
        var pcm = new short[samplesPerChannel * channels];
        for (var i = 0; i < samplesPerChannel; i++)
        {
            var t = (double)i / sampleRate;
            var envelope = 0.5 + (0.5 * Math.Sin(2 * Math.PI * 4 * t));
            double sample = 0;
            for (var harmonic = 1; harmonic * 150 < sampleRate / 2; harmonic++)
            {
                sample += Math.Sin(2 * Math.PI * 150 * harmonic * t) / harmonic;
            }

            for (var channel = 0; channel < channels; channel++)
            {
                pcm[(i * channels) + channel] = (short)((6000 * envelope * sample) + (300 * (random.NextDouble() - 0.5)));
            }
        }

        return pcm;
    }
}
