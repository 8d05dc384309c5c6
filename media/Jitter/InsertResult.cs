namespace CallTracking.Media.Jitter;

/// <summary>What <see cref="JitterBuffer.Insert"/> did with a packet.</summary>
public enum InsertResult
{
    /// <summary>Copied into the buffer; it will be played at its turn.</summary>
    Accepted,

    /// <summary>The same frame is already buffered or was already played; ignored.</summary>
    Duplicate,

    /// <summary>
    /// Its play time has passed (or it is a straggler of a stream the buffer has switched away
    /// from, or lies further ahead than the buffer can hold); discarded. Counted in
    /// <see cref="JitterBuffer.LateCount"/>.
    /// </summary>
    Late,

    /// <summary>The payload is larger than a slot; discarded. The caller counts it.</summary>
    TooLarge,

    /// <summary>
    /// New SSRC, or a jump in sequence number too large to be loss or reordering: the buffer was
    /// flushed and restarted on this packet, which is buffered.
    /// </summary>
    Reset,
}
