namespace CallTracking.Media.Sessions;

/// <summary>What is kept with the call when its media stops: the recording (or why there is none) and the
/// receive quality.</summary>
public sealed record MediaSummary(
    string? RecordingPath,
    TimeSpan RecordingDuration,
    long RecordingBytes,
    string RecordingCodec,
    IReadOnlyList<(TimeSpan Start, TimeSpan End)> PausedSpans,
    long PacketsReceived,
    long PacketsLost,
    double JitterMilliseconds,
    long PacketsLate,
    long Duplicates,
    long DtmfEvents,
    string? RecordingError = null);
