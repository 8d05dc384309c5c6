namespace CallTracking.Media.Transcription;

/// <summary>One stretch of a speaker's live speech, cut by <see cref="LiveSegmenter"/>, ready for Whisper.</summary>
/// <param name="StartMs">Start, in milliseconds from the first frame of the stream (frame index × 20).</param>
/// <param name="EndMs">End, in milliseconds from the same point.</param>
/// <param name="Pcm16k">The audio, mono float samples in [-1, 1] at 16 kHz (<see cref="WhisperTranscriber.SampleRate"/>).</param>
public sealed record LiveUtterance(long StartMs, long EndMs, float[] Pcm16k);
