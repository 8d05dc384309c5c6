namespace CallTracking.Media.Rtp;

/// <summary>Receive statistics of one source at one moment, for logs and call records.</summary>
/// <param name="Packets">Every packet fed in, whatever its sequence status.</param>
/// <param name="Bytes">Payload octets of those packets.</param>
/// <param name="Expected">Packets the sequence numbers say were sent, summed over sequence restarts.</param>
/// <param name="Lost">Expected minus distinct packets received; never negative (unlike RTCP's cumulative loss, duplicates do not offset it).</param>
/// <param name="LossPercent">Lost as a percentage of Expected.</param>
/// <param name="JitterMilliseconds">Interarrival jitter (RFC 3550 A.8).</param>
/// <param name="Late">Packets the jitter buffer reported as arriving after their playout time.</param>
public readonly record struct RtpReceiveSnapshot(
    uint Ssrc,
    long Packets,
    long Bytes,
    long Expected,
    long Lost,
    double LossPercent,
    double JitterMilliseconds,
    long Duplicates,
    long Reordered,
    long Late);
