namespace CallTracking.Engine.Calls.Control;

/// <summary>Pauses and resumes live calls' recordings (PCI), for the REST and gRPC APIs. <see cref="CallControl"/> is the engine's.</summary>
public interface IRecordingPauseControl
{
    /// <param name="callId">The call's <c>calls.id</c>.</param>
    /// <param name="actor">Who asks, for the event and the audit trail (<c>key:PREFIX</c>, <c>user:NAME</c>).</param>
    Task<RecordingPauseResult> SetRecordingPausedAsync(Guid callId, bool paused, string actor, CancellationToken cancellationToken);
}
