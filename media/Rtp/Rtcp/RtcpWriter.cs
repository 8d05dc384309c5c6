using System.Buffers.Binary;

namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>
/// Writes RTCP packets (RFC 3550 §6.4–6.6) into a caller's buffer; allocates nothing. Every method
/// returns the octets written, or -1 when the destination is too small (nothing is written then);
/// a compound datagram is consecutive writes into the rest of the buffer, or one of the
/// <c>…WithCanonicalName</c> methods for the SR/RR + SDES CNAME compound we send (§6.1).
/// </summary>
/// <remarks>
/// Arguments the wire cannot carry (more than 31 report blocks or sources, a CNAME or reason over
/// 255 octets) throw <see cref="ArgumentException"/>: they are bugs in the caller, not network input.
/// </remarks>
public static class RtcpWriter
{
    public const int MaxCount = 31;

    public const int MaxItemLength = 255;

    public static int GetSenderReportLength(int reportCount) =>
        RtcpPacket.HeaderLength + 4 + SenderInfo.Length + (reportCount * ReportBlock.Length);

    public static int GetReceiverReportLength(int reportCount) =>
        RtcpPacket.HeaderLength + 4 + (reportCount * ReportBlock.Length);

    /// <summary>One chunk with one CNAME item, its null terminator and padding to 32 bits.</summary>
    public static int GetSourceDescriptionLength(int cnameLength) =>
        RtcpPacket.HeaderLength + Align4(4 + 2 + cnameLength + 1);

    public static int GetByeLength(int sourceCount, int reasonLength) =>
        RtcpPacket.HeaderLength + (4 * sourceCount) + (reasonLength == 0 ? 0 : Align4(1 + reasonLength));

    public static int WriteSenderReport(Span<byte> destination, uint ssrc, in SenderInfo senderInfo, ReadOnlySpan<ReportBlock> reportBlocks)
    {
        CheckCount(reportBlocks.Length, nameof(reportBlocks));
        int length = GetSenderReportLength(reportBlocks.Length);
        if (length > destination.Length)
        {
            return -1;
        }

        WriteHeader(destination, reportBlocks.Length, RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], senderInfo.NtpTimestamp.Value);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], senderInfo.RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], senderInfo.PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], senderInfo.OctetCount);
        WriteBlocks(destination[28..], reportBlocks);
        return length;
    }

    public static int WriteReceiverReport(Span<byte> destination, uint ssrc, ReadOnlySpan<ReportBlock> reportBlocks)
    {
        CheckCount(reportBlocks.Length, nameof(reportBlocks));
        int length = GetReceiverReportLength(reportBlocks.Length);
        if (length > destination.Length)
        {
            return -1;
        }

        WriteHeader(destination, reportBlocks.Length, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        WriteBlocks(destination[8..], reportBlocks);
        return length;
    }

    /// <summary>An SDES packet with one chunk holding our CNAME (RFC 3550 §6.5.1).</summary>
    public static int WriteSourceDescription(Span<byte> destination, uint ssrc, ReadOnlySpan<byte> cname)
    {
        CheckItem(cname.Length, nameof(cname));
        int length = GetSourceDescriptionLength(cname.Length);
        if (length > destination.Length)
        {
            return -1;
        }

        WriteHeader(destination, 1, RtcpPacketType.SourceDescription, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        destination[8] = (byte)RtcpSdesItemType.CanonicalName;
        destination[9] = (byte)cname.Length;
        cname.CopyTo(destination[10..]);

        // The End item and the padding up to the boundary are all zero octets.
        destination[(10 + cname.Length)..length].Clear();
        return length;
    }

    public static int WriteBye(Span<byte> destination, ReadOnlySpan<uint> ssrcs, ReadOnlySpan<byte> reason)
    {
        CheckCount(ssrcs.Length, nameof(ssrcs));
        CheckItem(reason.Length, nameof(reason));
        int length = GetByeLength(ssrcs.Length, reason.Length);
        if (length > destination.Length)
        {
            return -1;
        }

        WriteHeader(destination, ssrcs.Length, RtcpPacketType.Goodbye, length);
        int offset = RtcpPacket.HeaderLength;
        foreach (uint ssrc in ssrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], ssrc);
            offset += 4;
        }

        if (!reason.IsEmpty)
        {
            destination[offset] = (byte)reason.Length;
            reason.CopyTo(destination[(offset + 1)..]);
            destination[(offset + 1 + reason.Length)..length].Clear();
        }

        return length;
    }

    /// <summary>The compound a sender sends: SR, then SDES with our CNAME (RFC 3550 §6.1).</summary>
    public static int WriteSenderReportWithCanonicalName(
        Span<byte> destination, uint ssrc, in SenderInfo senderInfo, ReadOnlySpan<ReportBlock> reportBlocks, ReadOnlySpan<byte> cname)
    {
        CheckItem(cname.Length, nameof(cname));
        if (GetSenderReportLength(reportBlocks.Length) + GetSourceDescriptionLength(cname.Length) > destination.Length)
        {
            return -1;
        }

        int written = WriteSenderReport(destination, ssrc, senderInfo, reportBlocks);
        return written + WriteSourceDescription(destination[written..], ssrc, cname);
    }

    /// <summary>The compound a receiver that has not sent sends: RR, then SDES with our CNAME (RFC 3550 §6.1).</summary>
    public static int WriteReceiverReportWithCanonicalName(
        Span<byte> destination, uint ssrc, ReadOnlySpan<ReportBlock> reportBlocks, ReadOnlySpan<byte> cname)
    {
        CheckItem(cname.Length, nameof(cname));
        if (GetReceiverReportLength(reportBlocks.Length) + GetSourceDescriptionLength(cname.Length) > destination.Length)
        {
            return -1;
        }

        int written = WriteReceiverReport(destination, ssrc, reportBlocks);
        return written + WriteSourceDescription(destination[written..], ssrc, cname);
    }

    private static void WriteHeader(Span<byte> destination, int count, RtcpPacketType type, int length)
    {
        destination[0] = (byte)((RtpPacket.Version << 6) | count);
        destination[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((length / 4) - 1));
    }

    private static void WriteBlocks(Span<byte> destination, ReadOnlySpan<ReportBlock> reportBlocks)
    {
        for (int i = 0; i < reportBlocks.Length; i++)
        {
            reportBlocks[i].WriteTo(destination[(i * ReportBlock.Length)..]);
        }
    }

    private static int Align4(int length) => (length + 3) & ~3;

    private static void CheckCount(int count, string paramName)
    {
        if (count > MaxCount)
        {
            ThrowHelpers.ThrowArgument(paramName, "An RTCP packet's 5-bit count holds at most 31 entries.");
        }
    }

    private static void CheckItem(int length, string paramName)
    {
        if (length > MaxItemLength)
        {
            ThrowHelpers.ThrowArgument(paramName, "An SDES item or BYE reason holds at most 255 octets.");
        }
    }
}
