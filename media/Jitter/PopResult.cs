namespace CallTracking.Media.Jitter;

/// <summary>What <see cref="JitterBuffer.Pop"/> hands out for one tick.</summary>
public enum PopResult
{
    /// <summary>The next frame in playout order was copied to the destination.</summary>
    Frame,

    /// <summary>
    /// The frame due now is not there (lost, late, or an inserted frame that grows the depth):
    /// the caller conceals it (G.711: repeat the last frame attenuated, then silence).
    /// </summary>
    Missing,

    /// <summary>Not playing: nothing received yet, refilling after a reset, or idle after a long
    /// silence. The caller plays silence.</summary>
    Buffering,
}
