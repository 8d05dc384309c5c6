namespace CallTracking.Engine.Privacy;

/// <summary>What a deletion did: keys destroyed, files removed, rows removed; <paramref name="Found"/> false when the call is unknown (or out of scope).</summary>
public sealed record DeletionResult(bool Found, int KeysDestroyed, int FilesDeleted, int Recordings, int Transcripts);
