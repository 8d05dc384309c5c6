namespace CallTracking.Engine.Transcription;

/// <summary>One segment of a call's transcript; times in milliseconds from the start of the recording.</summary>
public sealed record TranscriptSegment(Speaker Speaker, long StartMs, long EndMs, string Text, float Confidence)
{
    /// <summary>The <c>transcript_segments.speaker</c> value.</summary>
    public static string SpeakerText(Speaker speaker) => speaker == Speaker.Caller ? "caller" : "business";
}
