namespace CallTracking.Engine.Transcription;

/// <summary>Merges each speaker's segments into one transcript ordered by time. Stateless.</summary>
public static class SegmentMerger
{
    /// <summary>
    /// All segments by start time; at equal starts the earlier end first, then the caller first, so the order is the
    /// same on every run (a stable order keeps re-transcribed calls comparable).
    /// </summary>
    public static IReadOnlyList<TranscriptSegment> Merge(params IEnumerable<IEnumerable<TranscriptSegment>> speakers)
    {
        ArgumentNullException.ThrowIfNull(speakers);
        return [.. speakers.SelectMany(s => s).OrderBy(s => s.StartMs).ThenBy(s => s.EndMs).ThenBy(s => s.Speaker)];
    }
}
