namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>
/// The sender information of an SR (RFC 3550 §6.4.1): a wallclock instant, the same instant on
/// the RTP clock, and what has been sent since the SSRC began.
/// </summary>
/// <param name="PacketCount">RTP data packets sent, modulo 2^32.</param>
/// <param name="OctetCount">Payload octets sent (headers and padding excluded), modulo 2^32.</param>
public readonly record struct SenderInfo(NtpTimestamp NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount)
{
    public const int Length = 20;
}
