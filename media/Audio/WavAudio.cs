namespace CallTracking.Media.Audio;

/// <summary>Mono 16-bit PCM read from a WAV file.</summary>
public sealed record WavAudio(short[] Samples, int SampleRate)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
