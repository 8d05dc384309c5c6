using System.Buffers.Binary;

namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>A view of an RR packet (RFC 3550 §6.4.2): reporter SSRC and report blocks.</summary>
public readonly ref struct RtcpReceiverReport
{
    private const int BlocksOffset = 4;

    private readonly ReadOnlySpan<byte> _content;

    private RtcpReceiverReport(ReadOnlySpan<byte> content, int reportCount)
    {
        _content = content;
        ReportCount = reportCount;
    }

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_content);

    public int ReportCount { get; }

    public ReadOnlySpan<byte> ProfileExtension => _content[(BlocksOffset + (ReportCount * ReportBlock.Length))..];

    public ReportBlock GetReportBlock(int index)
    {
        if ((uint)index >= (uint)ReportCount)
        {
            ThrowHelpers.ThrowIndexOutOfRange(nameof(index), index, ReportCount);
        }

        return ReportBlock.Read(_content[(BlocksOffset + (index * ReportBlock.Length))..]);
    }

    public static bool TryParse(RtcpPacket packet, out RtcpReceiverReport report, out RtcpParseError error)
    {
        report = default;
        if (packet.PacketType != RtcpPacketType.ReceiverReport)
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

        report = new RtcpReceiverReport(content, packet.Count);
        error = RtcpParseError.None;
        return true;
    }
}
