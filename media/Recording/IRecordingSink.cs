namespace CallTracking.Media.Recording;

/// <summary>Where a <see cref="RecordingTimeline"/> hands its committed 20 ms stereo frames: the
/// <see cref="CallRecorder"/> in production, a capture in tests.</summary>
public interface IRecordingSink
{
    /// <summary>Whether frames written now are recorded as silence (a PCI span).</summary>
    bool IsPaused { get; }

    /// <summary>One 20 ms frame: <see cref="CallRecorder.FrameSamples"/> samples of 8 kHz PCM per side.</summary>
    void WriteFrame(ReadOnlySpan<short> callerPcm8k, ReadOnlySpan<short> otherPcm8k);

    /// <summary>Frames from the next one on are silence until <see cref="Resume"/>.</summary>
    void Pause();

    /// <summary>Frames from the next one on are recorded again.</summary>
    void Resume();
}
