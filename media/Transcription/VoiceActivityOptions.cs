namespace CallTracking.Media.Transcription;

/// <summary>How <see cref="VoiceActivityDetector"/> decides what is speech.</summary>
public sealed record VoiceActivityOptions
{
    /// <summary>Analysis frame length.</summary>
    public int FrameMs { get; init; } = 20;

    /// <summary>A frame louder than this (RMS, dB full scale) may be speech; telephone line noise sits well below it.</summary>
    public double ThresholdDbfs { get; init; } = -45;

    /// <summary>
    /// Frames whose zero-crossing rate is above this fraction of samples are treated as hiss, not speech, unless they
    /// are 15 dB above the threshold (fricatives are both loud enough and that noisy).
    /// </summary>
    public double MaxZeroCrossingRate { get; init; } = 0.5;

    /// <summary>Speech must last this long to count: clicks and pops do not.</summary>
    public int MinSpeechMs { get; init; } = 100;

    /// <summary>How long a region stays open after the last voiced frame (the hangover), so word endings are kept.</summary>
    public int HangoverMs { get; init; } = 300;

    /// <summary>Audio kept before the first voiced frame, so onsets are kept.</summary>
    public int PaddingMs { get; init; } = 100;

    /// <summary>Regions closer than this are joined: Whisper does better with whole phrases than with words.</summary>
    public int MergeGapMs { get; init; } = 500;
}
