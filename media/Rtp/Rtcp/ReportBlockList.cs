namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>
/// The part SR and RR share (RFC 3550 §6.4): a count of report blocks at a fixed offset of the content, then
/// profile-specific extensions. The two views differ only in that offset.
/// </summary>
internal static class ReportBlockList
{
    public static ReportBlock Get(ReadOnlySpan<byte> content, int blocksOffset, int reportCount, int index)
    {
        if ((uint)index >= (uint)reportCount)
        {
            ThrowHelpers.ThrowIndexOutOfRange(nameof(index), index, reportCount);
        }

        return ReportBlock.Read(content[(blocksOffset + (index * ReportBlock.Length))..]);
    }

    public static ReadOnlySpan<byte> ProfileExtension(ReadOnlySpan<byte> content, int blocksOffset, int reportCount)
        => content[(blocksOffset + (reportCount * ReportBlock.Length))..];

    /// <summary>The packet is of <paramref name="type"/> and long enough for the blocks its count announces.</summary>
    public static bool TryCheck(RtcpPacket packet, RtcpPacketType type, int blocksOffset, out RtcpParseError error)
    {
        if (packet.PacketType != type)
        {
            error = RtcpParseError.WrongType;
            return false;
        }

        if (packet.Content.Length < blocksOffset + (packet.Count * ReportBlock.Length))
        {
            error = RtcpParseError.CountExceedsLength;
            return false;
        }

        error = RtcpParseError.None;
        return true;
    }
}
