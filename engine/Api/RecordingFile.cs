namespace CallTracking.Engine.Api;

/// <summary>A call's usable recording: its file (absolute path, which exists) and what the database says of it.</summary>
public sealed record RecordingFile(Guid CallId, string Path, long? DurationMs, long? Bytes);
