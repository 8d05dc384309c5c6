using System.Buffers.Binary;

namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>A view of a BYE packet (RFC 3550 §6.6): the sources leaving and an optional UTF-8 reason.</summary>
public readonly ref struct RtcpBye
{
    private readonly ReadOnlySpan<byte> _content;

    private RtcpBye(ReadOnlySpan<byte> content, int sourceCount, ReadOnlySpan<byte> reason, bool hasReason)
    {
        _content = content;
        SourceCount = sourceCount;
        Reason = reason;
        HasReason = hasReason;
    }

    public int SourceCount { get; }

    public bool HasReason { get; }

    /// <summary>The reason for leaving, UTF-8; empty without one.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    public uint GetSsrc(int index)
    {
        if ((uint)index >= (uint)SourceCount)
        {
            ThrowHelpers.ThrowIndexOutOfRange(nameof(index), index, SourceCount);
        }

        return BinaryPrimitives.ReadUInt32BigEndian(_content[(4 * index)..]);
    }

    public static bool TryParse(RtcpPacket packet, out RtcpBye bye, out RtcpParseError error)
    {
        bye = default;
        if (packet.PacketType != RtcpPacketType.Goodbye)
        {
            error = RtcpParseError.WrongType;
            return false;
        }

        ReadOnlySpan<byte> content = packet.Content;
        int sourcesLength = 4 * packet.Count;
        if (content.Length < sourcesLength)
        {
            error = RtcpParseError.CountExceedsLength;
            return false;
        }

        ReadOnlySpan<byte> rest = content[sourcesLength..];
        ReadOnlySpan<byte> reason = default;
        bool hasReason = rest.Length > 0;
        if (hasReason)
        {
            if (1 + rest[0] > rest.Length)
            {
                error = RtcpParseError.ItemTruncated;
                return false;
            }

            reason = rest.Slice(1, rest[0]);
        }

        bye = new RtcpBye(content, packet.Count, reason, hasReason);
        error = RtcpParseError.None;
        return true;
    }
}
