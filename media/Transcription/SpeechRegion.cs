namespace CallTracking.Media.Transcription;

/// <summary>A stretch of audio with speech in it, in samples: [<see cref="Start"/>, <see cref="End"/>).</summary>
public readonly record struct SpeechRegion(int Start, int End)
{
    public int Length => End - Start;
}
