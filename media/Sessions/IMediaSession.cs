namespace CallTracking.Media.Sessions;

/// <summary>The media of one call as the layer above drives it. See <see cref="MediaSession"/>.</summary>
public interface IMediaSession
{
    long Id { get; }

    /// <summary>Our RTP port, to name in the SDP we send.</summary>
    int RtpPort { get; }

    void Start(MediaLegOptions options, string? recordingPath);

    void Update(MediaLegOptions options);

    void Play(PromptAudio prompt);

    void PauseRecording();

    void ResumeRecording();

    void Stop();
}
