namespace CallTracking.Engine.Storage;

/// <summary>The <c>events.kind</c> values the call record writes.</summary>
public static class CallEventKinds
{
    public const string Started = "call.started";
    public const string Ringing = "call.ringing";
    public const string Answered = "call.answered";
    public const string Dtmf = "call.dtmf";
    public const string Bridged = "call.bridged";
    public const string Ended = "call.ended";
    public const string RecordingReady = "recording.ready";
    public const string TranscriptReady = "transcript.ready";
    public const string Tagged = "call.tagged";
    public const string TranscriptSegment = "transcript.segment";
    public const string TranscriptFailed = "transcript.failed";
    public const string Attributed = "call.attributed";
    public const string RecordingPaused = "recording.paused";
    public const string RecordingResumed = "recording.resumed";
}
