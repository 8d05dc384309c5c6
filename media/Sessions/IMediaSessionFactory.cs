namespace CallTracking.Media.Sessions;

/// <summary>Opens media sessions: a bound RTP/RTCP port pair each. See <see cref="Workers.MediaEngine"/>.</summary>
public interface IMediaSessionFactory
{
    /// <summary>False when no port pair is free.</summary>
    bool TryOpen(out IMediaSession session);
}
