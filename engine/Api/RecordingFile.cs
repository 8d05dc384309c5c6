namespace CallTracking.Engine.Api;

/// <summary>
/// A call's usable recording: its file (absolute path, which exists) and what the database says of it;
/// <see cref="Redacted"/> when the file is the redacted copy (the redacted spans toned out).
/// </summary>
public sealed record RecordingFile(Guid CallId, string Path, long? DurationMs, long? Bytes, bool Redacted = false);
