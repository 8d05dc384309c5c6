namespace CallTracking.Engine.Configuration;

/// <summary>Where the audio of a <see cref="Prompt"/> comes from.</summary>
public enum PromptKind
{
    /// <summary>Nothing is played.</summary>
    None,

    /// <summary>The recording shipped with the engine (e.g. the recording notice).</summary>
    Default,

    /// <summary>Text to be spoken by the text-to-speech stage.</summary>
    Text,

    /// <summary>A WAV file (full path).</summary>
    File,
}
