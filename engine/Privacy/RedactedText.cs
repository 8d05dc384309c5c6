namespace CallTracking.Engine.Privacy;

/// <summary>A text after <see cref="TranscriptRedactor.Redact"/>: the text with labels, and what was replaced where (in the original's offsets).</summary>
public sealed record RedactedText(string Text, IReadOnlyList<Redaction> Redactions)
{
    public bool Changed => Redactions.Count > 0;
}
