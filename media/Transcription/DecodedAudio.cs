namespace CallTracking.Media.Transcription;

/// <summary>A decoded recording: one float track per channel (samples in [-1, 1]), all of the same length.</summary>
public sealed class DecodedAudio(int sampleRate, float[][] channels)
{
    public int SampleRate { get; } = sampleRate;

    public IReadOnlyList<float[]> Channels { get; } = channels;

    /// <summary>The length in milliseconds.</summary>
    public long DurationMs => Channels.Count == 0 ? 0 : Channels[0].LongLength * 1000 / SampleRate;
}
