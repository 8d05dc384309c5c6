namespace CallTracking.Engine.Configuration;

/// <summary>Audio a plan plays: nothing, the shipped recording, text to speak, or a WAV file.</summary>
/// <param name="Kind">Where the audio comes from.</param>
/// <param name="Value">The text for <see cref="PromptKind.Text"/>, the full path for <see cref="PromptKind.File"/>, else null.</param>
public sealed record Prompt(PromptKind Kind, string? Value)
{
    public static Prompt None { get; } = new(PromptKind.None, null);

    public static Prompt Default { get; } = new(PromptKind.Default, null);

    public override string ToString() => Kind switch
    {
        PromptKind.Text => $"text \"{Value}\"",
        PromptKind.File => $"file {Value}",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
