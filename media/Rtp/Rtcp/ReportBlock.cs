using System.Buffers.Binary;

namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>
/// One reception report block of an SR or RR (RFC 3550 §6.4.1): how well we hear one source.
/// </summary>
/// <param name="Ssrc">The source this block reports on.</param>
/// <param name="FractionLost">Packets lost since the previous report, as a fraction of 256.</param>
/// <param name="CumulativeLost">Expected minus received since reception began; 24-bit signed, negative with duplicates.</param>
/// <param name="ExtendedHighestSequenceNumber">Sequence-number cycles in the high 16 bits, highest sequence number in the low 16.</param>
/// <param name="Jitter">Interarrival jitter in RTP timestamp units (RFC 3550 A.8).</param>
/// <param name="LastSenderReport">Middle 32 bits of the NTP timestamp of the last SR from the source; 0 if none.</param>
/// <param name="DelaySinceLastSenderReport">Time since that SR arrived, in units of 1/65536 s; 0 if none.</param>
public readonly record struct ReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequenceNumber,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    public const int Length = 24;

    /// <summary>Largest cumulative loss the 24-bit field holds; larger values are clamped (RFC 3550 A.3).</summary>
    public const int MaxCumulativeLost = 0x7F_FFFF;

    public const int MinCumulativeLost = -0x80_0000;

    /// <summary>Reads a block from the first 24 octets of <paramref name="source"/>.</summary>
    public static ReportBlock Read(ReadOnlySpan<byte> source)
    {
        source = source[..Length];
        uint lossWord = BinaryPrimitives.ReadUInt32BigEndian(source[4..]);
        return new ReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            (byte)(lossWord >> 24),
            (int)(lossWord << 8) >> 8, // sign-extend the 24-bit field
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[20..]));
    }

    /// <summary>Writes the block into the first 24 octets of <paramref name="destination"/>, clamping the cumulative loss.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination = destination[..Length];
        int lost = Math.Clamp(CumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)FractionLost << 24) | ((uint)lost & 0xFF_FFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ExtendedHighestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], DelaySinceLastSenderReport);
    }
}
