namespace CallTracking.Media.Sessions;

/// <summary>
/// Takes a session's audio as it goes, one 20 ms frame per worker tick, on the media worker's thread (see
/// <see cref="IMediaSession.Tap"/>). Implementations must neither block nor allocate: they copy the frame and return.
/// </summary>
public interface IAudioTap
{
    /// <summary>
    /// One 20 ms frame of 8 kHz PCM per side: what the peer sent us (played out) and what we sent it. A side is
    /// either 160 samples or empty (silence: nothing to send, or recording paused).
    /// </summary>
    void Write(ReadOnlySpan<short> received, ReadOnlySpan<short> sent);

    /// <summary>The session stopped: no frame follows.</summary>
    void Complete();
}
