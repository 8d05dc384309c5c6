namespace CallTracking.Media.Sessions;

/// <summary>A prompt loaded once (from a WAV file) as 8 kHz mono PCM, played to any number of calls.</summary>
public sealed class PromptAudio
{
    public const int SampleRate = 8000;

    public PromptAudio(string name, short[] samples8k)
    {
        Name = name;
        Samples = samples8k ?? throw new ArgumentNullException(nameof(samples8k));
    }

    public string Name { get; }

    public ReadOnlyMemory<short> Samples { get; }

    public TimeSpan Duration => TimeSpan.FromSeconds(Samples.Length / (double)SampleRate);
}
