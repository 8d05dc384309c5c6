namespace CallTracking.Media.Transcription;

/// <summary>One piece of a transcript.</summary>
/// <param name="StartMs">Start, in milliseconds from the start of the audio given.</param>
/// <param name="EndMs">End, in milliseconds; at least <paramref name="StartMs"/>, at most the audio's length.</param>
/// <param name="Text">The text, without the leading space whisper puts before words.</param>
/// <param name="Confidence">Mean probability of the segment's text tokens, 0 to 1.</param>
public sealed record WhisperSegment(long StartMs, long EndMs, string Text, float Confidence);
