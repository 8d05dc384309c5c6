namespace CallTracking.Engine.Storage;

/// <summary>A recording of a call was completed (or failed: <see cref="Error"/> says why).</summary>
public sealed record RecordingReady(Guid CallId, Guid OrganisationId)
{
    public Guid RecordingId { get; init; } = Guid.CreateVersion7();

    public string? Path { get; init; }

    public long? DurationMs { get; init; }

    public long? Bytes { get; init; }

    public string? Codec { get; init; }

    public int? Channels { get; init; }

    public string? Error { get; init; }
}
