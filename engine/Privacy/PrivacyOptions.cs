namespace CallTracking.Engine.Privacy;

/// <summary>
/// The <c>Privacy</c> configuration section. <see cref="PauseDtmf"/>/<see cref="ResumeDtmf"/>: key sequences that
/// pause and resume a call's recording when either party keys them (PCI: an agent keys "*1" before the card number
/// is read out); empty turns the sequence off. <see cref="RedactAudio"/>: also write a redacted copy of each
/// recording with the redacted spans (<see cref="TranscriptPrivacy.Apply"/>'s audio spans, estimated from segment
/// times) replaced by a tone (<see cref="RecordingRedaction"/>); downloads then serve the copy.
/// </summary>
public sealed record PrivacyOptions
{
    public const string Section = "Privacy";

    public string PauseDtmf { get; init; } = string.Empty;

    public string ResumeDtmf { get; init; } = string.Empty;

    public bool RedactAudio { get; init; }

    /// <summary>Reads the section; a sequence keeps only DTMF characters (0-9, *, #, A-D).</summary>
    public static PrivacyOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        return new PrivacyOptions
        {
            PauseDtmf = Keys(section["PauseDtmf"]),
            ResumeDtmf = Keys(section["ResumeDtmf"]),
            RedactAudio = bool.TryParse(section["RedactAudio"], out var redact) && redact,
        };
    }

    private static string Keys(string? value) =>
        new([.. (value ?? string.Empty).ToUpperInvariant().Where(c => char.IsAsciiDigit(c) || c is '*' or '#' or (>= 'A' and <= 'D'))]);
}
