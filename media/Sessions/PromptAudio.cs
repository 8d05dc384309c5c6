using CallTracking.Media.Audio;

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

    /// <summary>Loads a 16-bit mono WAV at 8 to 48 kHz, resampled to the calls' 8 kHz.</summary>
    /// <exception cref="InvalidDataException">The file is not such a WAV; the message says how to convert it.</exception>
    public static PromptAudio FromWav(string path)
    {
        var wav = WavReader.Read(path);
        var samples = wav.SampleRate switch
        {
            SampleRate => wav.Samples,
            16_000 => Resampler.Convert(wav.Samples, wav.SampleRate, SampleRate),
            _ => SincResampler.Convert(wav.Samples, wav.SampleRate, SampleRate),
        };
        return new PromptAudio(Path.GetFileNameWithoutExtension(path), samples);
    }
}
