using System.Buffers.Binary;

namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>A view of an SR packet (RFC 3550 §6.4.1): sender SSRC, sender information, report blocks.</summary>
public readonly ref struct RtcpSenderReport
{
    private const int BlocksOffset = 4 + SenderInfo.Length;

    private readonly ReadOnlySpan<byte> _content;

    private RtcpSenderReport(ReadOnlySpan<byte> content, int reportCount)
    {
        _content = content;
        ReportCount = reportCount;
    }

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_content);

    public SenderInfo SenderInfo => new(
        new NtpTimestamp(BinaryPrimitives.ReadUInt64BigEndian(_content[4..])),
        BinaryPrimitives.ReadUInt32BigEndian(_content[12..]),
        BinaryPrimitives.ReadUInt32BigEndian(_content[16..]),
        BinaryPrimitives.ReadUInt32BigEndian(_content[20..]));

    public int ReportCount { get; }

    /// <summary>Profile-specific extension octets after the report blocks (§6.4.1); usually empty.</summary>
    public ReadOnlySpan<byte> ProfileExtension => _content[(BlocksOffset + (ReportCount * ReportBlock.Length))..];

    public ReportBlock GetReportBlock(int index)
    {
        if ((uint)index >= (uint)ReportCount)
        {
            ThrowHelpers.ThrowIndexOutOfRange(nameof(index), index, ReportCount);
        }

        return ReportBlock.Read(_content[(BlocksOffset + (index * ReportBlock.Length))..]);
    }

    public static bool TryParse(RtcpPacket packet, out RtcpSenderReport report, out RtcpParseError error)
    {
        report = default;
        if (packet.PacketType != RtcpPacketType.SenderReport)
        {
            error = RtcpParseError.WrongType;
            return false;
        }

        ReadOnlySpan<byte> content = packet.Content;
        if (content.Length < BlocksOffset + (packet.Count * ReportBlock.Length))
        {
            error = RtcpParseError.CountExceedsLength;
            return false;
        }

        report = new RtcpSenderReport(content, packet.Count);
        error = RtcpParseError.None;
        return true;
    }
}
