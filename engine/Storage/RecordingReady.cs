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

    /// <summary>The spans of the recording that are silence because the recording was paused (PCI), in recording time.</summary>
    public IReadOnlyList<(long StartMs, long EndMs)> PausedSpans { get; init; } = [];

    /// <summary><see cref="PausedSpans"/> as stored in <c>recordings.paused_spans</c>: <c>[{"startMs":…,"endMs":…}]</c>.</summary>
    public string PausedSpansJson => new System.Text.Json.Nodes.JsonArray([.. PausedSpans.Select(s => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["startMs"] = s.StartMs, ["endMs"] = s.EndMs })]).ToJsonString();
}
