namespace CallTracking.Engine.Calls.Control;

/// <summary>What <see cref="CallControl.SetRecordingPausedAsync"/> did.</summary>
public enum RecordingPauseResult
{
    /// <summary>The recording is now paused (or resumed).</summary>
    Changed,

    /// <summary>It already was; nothing changed and nothing was recorded.</summary>
    Unchanged,

    /// <summary>The call is not live on this node (ended, never existed, or carried by another node).</summary>
    NotLive,
}
