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

    /// <summary>
    /// Bridges this leg and <paramref name="other"/> both ways from the next tick: each sends its peer what the other
    /// received (decoded, re-encoded in its own codec), and relays the other's key presses. A prompt played on either
    /// leg overrides the bridged audio while it plays. Replaces any bridge either leg was in; turns ringback off.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> is this session, or does not share its worker
    /// (open it with <see cref="IMediaSessionFactory.TryOpen(out IMediaSession, IMediaSession?)"/>).</exception>
    void Bridge(IMediaSession other);

    /// <summary>Ends this leg's bridge (both ways) from the next tick; neither leg sends the other's audio any more.</summary>
    void Unbridge();

    /// <summary>While on and the leg is neither bridged nor playing a prompt, sends North American ringback
    /// (440 + 480 Hz, 2 s on, 4 s off), starting with a ring.</summary>
    void PlayRingback(bool on);

    void PauseRecording();

    void ResumeRecording();

    void Stop();

    /// <summary>
    /// From the next tick until the session stops, hands <paramref name="tap"/> each 20 ms of the leg's audio (what
    /// the peer said, what it heard), silence while recording is paused, then <see cref="IAudioTap.Complete"/>.
    /// Replaces an earlier tap. Sessions that cannot tap (test doubles) ignore it.
    /// </summary>
    void Tap(IAudioTap tap)
    {
    }
}
