using CallTracking.Media.Rtp.Rtcp;

namespace CallTracking.Media.Rtp;

/// <summary>
/// What we have sent on one SSRC, for the sender information of our SRs (RFC 3550 §6.4.1).
/// Not thread-safe: the media worker that sends the stream owns it.
/// </summary>
public sealed class RtpSendStatistics
{
    private readonly int _clockRate;

    /// <param name="clockRate">The RTP clock rate of the stream, to carry the last timestamp forward to the report's instant.</param>
    public RtpSendStatistics(uint ssrc, int clockRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        Ssrc = ssrc;
        _clockRate = clockRate;
    }

    public uint Ssrc { get; private set; }

    public long PacketCount { get; private set; }

    /// <summary>Payload octets sent, headers and padding excluded.</summary>
    public long OctetCount { get; private set; }

    public uint LastRtpTimestamp { get; private set; }

    /// <summary>When the last packet went out, on the caller's monotonic clock.</summary>
    public TimeSpan LastSentAt { get; private set; }

    public bool HasSent => PacketCount > 0;

    public void PacketSent(uint rtpTimestamp, int payloadLength, TimeSpan sentAt)
    {
        PacketCount++;
        OctetCount += payloadLength;
        LastRtpTimestamp = rtpTimestamp;
        LastSentAt = sentAt;
    }

    /// <summary>
    /// Sender information for an SR sent at <paramref name="now"/>: the RTP timestamp is the last
    /// one sent carried forward by the time since, so it names the same instant as the NTP timestamp.
    /// Counts are modulo 2^32 as on the wire.
    /// </summary>
    public SenderInfo CreateSenderInfo(NtpTimestamp ntpNow, TimeSpan now)
    {
        TimeSpan since = now - LastSentAt;
        long units = 0;
        if (since > TimeSpan.Zero)
        {
            long seconds = Math.DivRem(since.Ticks, TimeSpan.TicksPerSecond, out long remainder);
            units = (seconds * _clockRate) + (remainder * _clockRate / TimeSpan.TicksPerSecond);
        }

        return new SenderInfo(
            ntpNow,
            unchecked(LastRtpTimestamp + (uint)units),
            unchecked((uint)PacketCount),
            unchecked((uint)OctetCount));
    }

    /// <summary>A new SSRC starts its counts from zero (RFC 3550 §6.4.1).</summary>
    public void Reset(uint ssrc)
    {
        Ssrc = ssrc;
        PacketCount = 0;
        OctetCount = 0;
        LastRtpTimestamp = 0;
        LastSentAt = TimeSpan.Zero;
    }
}
