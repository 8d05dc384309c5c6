namespace CallTracking.Media.Rtp;

/// <summary>What <see cref="RtpReceiveStatistics.Receive"/> made of a packet's sequence number (RFC 3550 A.1).</summary>
public enum RtpSequenceStatus : byte
{
    /// <summary>In order (or the packet that confirmed a new source or a restart): play it.</summary>
    Valid,

    /// <summary>Arrived after a higher sequence number; not seen before: the jitter buffer may still place it.</summary>
    Reordered,

    /// <summary>A sequence number already received within the last 128: drop it.</summary>
    Duplicate,

    /// <summary>The source is not yet confirmed by MIN_SEQUENTIAL packets in sequence: drop it.</summary>
    Probation,

    /// <summary>A jump beyond MAX_DROPOUT/MAX_MISORDER: dropped unless the next packet follows it, which restarts the sequence.</summary>
    BadSequence,
}
