namespace CallTracking.IntegrationTests.Transcription;

/// <summary>Shape of a <see cref="TinyWhisperModel"/>; the defaults load and transcribe in well under a second.</summary>
public sealed record TinyWhisperModelOptions
{
    /// <summary>Seed of the weights: the same options give the same file, byte for byte.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Multilingual (51865 tokens, language detection works) or English-only (51864, like *.en models).</summary>
    public bool Multilingual { get; init; } = true;

    /// <summary>Width of the encoder and decoder (real models: 384 for tiny up to 1280).</summary>
    public int State { get; init; } = 16;

    public int Heads { get; init; } = 2;

    public int AudioLayers { get; init; } = 1;

    public int TextLayers { get; init; } = 1;
}
