namespace CallTracking.IntegrationTests.Audio;

/// <summary>One channel of 16-bit PCM at <see cref="SampleRate"/> Hz.</summary>
public sealed class PcmAudio
{
    public PcmAudio(short[] samples, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        Samples = samples;
        SampleRate = sampleRate;
    }

    public short[] Samples { get; }

    public int SampleRate { get; }

    public int Length => Samples.Length;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);

    /// <summary>Samples [start, start + count), clamped to the audio.</summary>
    public PcmAudio Slice(int start, int count)
    {
        start = Math.Clamp(start, 0, Samples.Length);
        count = Math.Clamp(count, 0, Samples.Length - start);
        return new PcmAudio(Samples.AsSpan(start, count).ToArray(), SampleRate);
    }

    /// <summary>This audio followed by <paramref name="others"/> (same sample rate).</summary>
    public PcmAudio Append(params PcmAudio[] others)
    {
        ArgumentNullException.ThrowIfNull(others);
        if (others.Any(o => o.SampleRate != SampleRate))
        {
            throw new ArgumentException("Every part must have the same sample rate.", nameof(others));
        }

        return new PcmAudio([.. Samples, .. others.SelectMany(o => o.Samples)], SampleRate);
    }

    public static PcmAudio Silence(TimeSpan duration, int sampleRate = 8000) =>
        new(new short[(int)Math.Round(duration.TotalSeconds * sampleRate)], sampleRate);

    public override string ToString() => $"{Samples.Length} samples at {SampleRate} Hz ({Duration.TotalMilliseconds:0} ms)";
}
