namespace CallTracking.Engine.Transcription;

/// <summary>What the pipeline made of one recording.</summary>
public sealed record TranscriptionResult(IReadOnlyList<TranscriptSegment> Segments, string? Language, long DurationMs)
{
    /// <summary>The segments' text in order, as the full-text index sees it.</summary>
    public string FullText => string.Join(' ', Segments.Select(s => s.Text).Where(t => t.Length > 0));
}
