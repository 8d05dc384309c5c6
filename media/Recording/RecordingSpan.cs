namespace CallTracking.Media.Recording;

/// <summary>A stretch of a recording, as offsets from its start.</summary>
public readonly record struct RecordingSpan(TimeSpan Start, TimeSpan End)
{
    public TimeSpan Length => End - Start;
}
