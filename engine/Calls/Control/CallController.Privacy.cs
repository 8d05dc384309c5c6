using System.Text.Json.Nodes;
using CallTracking.Engine.Privacy;
using CallTracking.Engine.Storage;

namespace CallTracking.Engine.Calls.Control;

/// <summary>
/// Recording pause and resume (PCI DSS: card data must not be stored in recordings): by API through
/// <see cref="CallControl.SetRecordingPausedAsync"/>, or by a configured key sequence (<c>Privacy:PauseDtmf</c>,
/// <c>Privacy:ResumeDtmf</c>) keyed by the caller or the answering destination. The recorder writes silence while
/// paused and reports the span (media/Recording/CallRecorder); the spans are stored with the recording.
/// </summary>
public sealed partial class CallController
{
    private readonly System.Text.StringBuilder _keyed = new();
    private bool _recordingPaused;

    private bool IsRecordingPaused
    {
        get
        {
            lock (_lock)
            {
                return _recordingPaused;
            }
        }
    }

    internal async Task<RecordingPauseResult> SetRecordingPausedAsync(bool paused, string actor, CancellationToken cancellationToken)
    {
        Guid organisation;
        lock (_lock)
        {
            if (_phase == Phase.Ended || _organisationId is not { } owner)
            {
                return RecordingPauseResult.NotLive;
            }

            if (_recordingPaused == paused)
            {
                return RecordingPauseResult.Unchanged;
            }

            _recordingPaused = paused;
            organisation = owner;
            if (paused)
            {
                _inbound.Media.PauseRecording();
            }
            else
            {
                _inbound.Media.ResumeRecording();
            }

            _control.Record(CallRecordOperation.Event(_recordId, organisation, paused ? CallEventKinds.RecordingPaused : CallEventKinds.RecordingResumed, new JsonObject
            {
                ["actor"] = actor,
            }));
        }

        LogRecordingPaused(Call.CallId, paused, actor);
        if (_control.Audit is { } audit)
        {
            await audit.RecordAsync(paused ? AuditActions.RecordingPaused : AuditActions.RecordingResumed, organisation, actor, "call:" + _recordId.ToString("D"), null, cancellationToken).ConfigureAwait(false);
        }

        return RecordingPauseResult.Changed;
    }

    /// <summary>A key from either party: the configured sequences pause or resume the recording.</summary>
    internal void OnDtmfKey(char digit)
    {
        var privacy = _control.Privacy;
        if (privacy.PauseDtmf.Length == 0 && privacy.ResumeDtmf.Length == 0)
        {
            return;
        }

        bool? pause = null;
        lock (_lock)
        {
            _keyed.Append(char.ToUpperInvariant(digit));
            var keep = Math.Max(privacy.PauseDtmf.Length, privacy.ResumeDtmf.Length);
            if (_keyed.Length > keep)
            {
                _keyed.Remove(0, _keyed.Length - keep);
            }

            var keyed = _keyed.ToString();
            if (privacy.PauseDtmf.Length > 0 && keyed.EndsWith(privacy.PauseDtmf, StringComparison.Ordinal))
            {
                pause = true;
            }
            else if (privacy.ResumeDtmf.Length > 0 && keyed.EndsWith(privacy.ResumeDtmf, StringComparison.Ordinal))
            {
                pause = false;
            }

            if (pause is not null)
            {
                _keyed.Clear();
            }
        }

        if (pause is { } p)
        {
            // A media thread must not wait on the database: the audit write completes on its own; a failure is logged.
            _ = SetRecordingPausedAsync(p, "dtmf", CancellationToken.None).ContinueWith(
                static (t, state) => ((CallController)state!).LogPauseAuditFailed(t.Exception!),
                this,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
        }
    }

    private void LogPauseAuditFailed(Exception e) => LogRecordingPauseFailed(e, Call.CallId);
}
