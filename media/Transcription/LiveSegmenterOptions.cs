namespace CallTracking.Media.Transcription;

/// <summary>Where <see cref="LiveSegmenter"/> cuts a speaker's live audio into utterances.</summary>
public sealed record LiveSegmenterOptions
{
    /// <summary>What counts as a voiced frame (level, zero crossings); its hangover is the silence kept after speech.</summary>
    public VoiceActivityOptions Voice { get; init; } = new();

    /// <summary>Silence this long after speech ends the utterance: a pause between phrases.</summary>
    public int PauseMs { get; init; } = 600;

    /// <summary>An utterance is cut at this length even without a pause, so a monologue still shows up live.</summary>
    public int MaxUtteranceMs { get; init; } = 10_000;

    /// <summary>Audio kept before the first voiced frame, so the onset of the first word is not clipped.</summary>
    public int PrerollMs { get; init; } = 200;

    /// <summary>Utterances with less speech than this are dropped (clicks, a cough).</summary>
    public int MinSpeechMs { get; init; } = 200;
}
