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
    public ReadOnlySpan<byte> ProfileExtension => ReportBlockList.ProfileExtension(_content, BlocksOffset, ReportCount);

    public ReportBlock GetReportBlock(int index) => ReportBlockList.Get(_content, BlocksOffset, ReportCount, index);

    public static bool TryParse(RtcpPacket packet, out RtcpSenderReport report, out RtcpParseError error)
    {
        report = ReportBlockList.TryCheck(packet, RtcpPacketType.SenderReport, BlocksOffset, out error) ? new RtcpSenderReport(packet.Content, packet.Count) : default;
        return error == RtcpParseError.None;
    }
}
