using CallTracking.Engine.Calls.Control;

namespace CallTracking.Engine.Hosting;

/// <summary>The APIs' way to the live calls of this node: <see cref="SipService.CallControl"/>, once SIP has started.</summary>
public sealed class SipRecordingPauses(SipService sip) : IRecordingPauseControl
{
    public Task<RecordingPauseResult> SetRecordingPausedAsync(Guid callId, bool paused, string actor, CancellationToken cancellationToken) =>
        sip.CallControl is { } control
            ? control.SetRecordingPausedAsync(callId, paused, actor, cancellationToken)
            : Task.FromResult(RecordingPauseResult.NotLive);
}
