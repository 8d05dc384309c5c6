namespace CallTracking.Engine.Privacy;

/// <summary>What one sweep removed: calls whose recording, transcript or whole record had outlived its retention.</summary>
public sealed record RetentionSweepResult(int Recordings, int Transcripts, int Calls);
