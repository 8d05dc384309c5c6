namespace CallTracking.Media.Transcription;

/// <summary>What <see cref="WhisperTranscriber.Transcribe"/> returns.</summary>
/// <param name="Segments">In time order.</param>
/// <param name="Language">The language transcribed ("en"), given or detected; null when no audio was decoded.</param>
public sealed record WhisperTranscript(IReadOnlyList<WhisperSegment> Segments, string? Language);
