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

    public ReadOnlySpan<byte> ProfileExtension => ReportBlockList.ProfileExtension(_content, BlocksOffset, ReportCount);

    public ReportBlock GetReportBlock(int index) => ReportBlockList.Get(_content, BlocksOffset, ReportCount, index);

    public static bool TryParse(RtcpPacket packet, out RtcpReceiverReport report, out RtcpParseError error)
    {
        report = ReportBlockList.TryCheck(packet, RtcpPacketType.ReceiverReport, BlocksOffset, out error) ? new RtcpReceiverReport(packet.Content, packet.Count) : default;
        return error == RtcpParseError.None;
    }
}
