namespace CallTracking.Engine.Transcription;

/// <summary>A job a worker holds the lease of; <see cref="Attempts"/> counts this one.</summary>
public sealed record TranscriptionJob(Guid Id, Guid CallId, Guid RecordingId, Guid OrganisationId, string? Path, int Attempts);
