namespace CallTracking.Media.Transcription;

/// <summary>How <see cref="WhisperTranscriber.Transcribe"/> decodes; defaults are whisper.cpp's.</summary>
public sealed record WhisperOptions
{
    /// <summary>A language code ("en", "de"), or null / "auto" to let the model detect it.</summary>
    public string? Language { get; init; }

    /// <summary>CPU threads whisper.cpp uses for one transcription.</summary>
    public int Threads { get; init; } = Math.Min(4, Environment.ProcessorCount);

    /// <summary>Translate to English instead of transcribing.</summary>
    public bool Translate { get; init; }

    /// <summary>Text that primes the decoder (names, jargon the calls use), or null.</summary>
    public string? InitialPrompt { get; init; }

    /// <summary>Sampling temperature of the first attempt; 0 is greedy.</summary>
    public float Temperature { get; init; }

    /// <summary>
    /// Step by which whisper.cpp raises the temperature and decodes again when a window's
    /// result looks unreliable (0.2 in whisper.cpp); 0 decodes each window once
    /// (whisper-cli's --no-fallback): faster, sometimes worse.
    /// </summary>
    public float TemperatureIncrement { get; init; } = 0.2f;
}
