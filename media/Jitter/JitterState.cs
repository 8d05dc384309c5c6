namespace CallTracking.Media.Jitter;

internal enum JitterState : byte
{
    /// <summary>No packet received since construction.</summary>
    Empty,

    /// <summary>The stream went silent long enough that the next packet re-anchors playout.</summary>
    Idle,

    /// <summary>Anchored on a packet; ticks pass until its turn comes.</summary>
    Buffering,

    Playing,
}
