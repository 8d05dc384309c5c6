namespace CallTracking.Media.Sessions;

/// <summary>Opens media sessions: a bound RTP/RTCP port pair each. See <see cref="Workers.MediaEngine"/>.</summary>
public interface IMediaSessionFactory
{
    /// <summary>False when no port pair is free.</summary>
    bool TryOpen(out IMediaSession session);

    /// <summary>As <see cref="TryOpen(out IMediaSession)"/>, on the same media worker as <paramref name="colocateWith"/>
    /// (when not null), so the two can be bridged.</summary>
    bool TryOpen(out IMediaSession session, IMediaSession? colocateWith);
}
