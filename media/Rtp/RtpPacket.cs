using System.Buffers.Binary;
using System.Diagnostics;

namespace CallTracking.Media.Rtp;

/// <summary>
/// A view over one RTP datagram (RFC 3550 §5.1). Nothing is copied: every property reads the
/// datagram it was parsed from, so the view is only valid while that buffer is.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |           synchronization source (SSRC) identifier            |
/// |            contributing source (CSRC) identifiers             | × CC
/// |      defined by profile       |           length              | if X
/// |                        header extension                       | length × 4 octets
/// </code>
/// </remarks>
public readonly ref struct RtpPacket
{
    /// <summary>Version (2), padding, extension and CSRC count, marker and payload type, sequence number, timestamp, SSRC.</summary>
    public const int FixedHeaderLength = 12;

    public const int Version = 2;

    public const int MaxCsrcCount = 15;

    private readonly ReadOnlySpan<byte> _datagram;
    private readonly int _extensionDataOffset;
    private readonly int _extensionDataLength;
    private readonly int _payloadOffset;
    private readonly int _payloadLength;

    private RtpPacket(ReadOnlySpan<byte> datagram, int extensionDataOffset, int extensionDataLength, int payloadOffset, int payloadLength)
    {
        _datagram = datagram;
        _extensionDataOffset = extensionDataOffset;
        _extensionDataLength = extensionDataLength;
        _payloadOffset = payloadOffset;
        _payloadLength = payloadLength;
    }

    /// <summary>The whole datagram the view was parsed from.</summary>
    public ReadOnlySpan<byte> Datagram => _datagram;

    public bool HasPadding => (_datagram[0] & 0x20) != 0;

    public bool HasExtension => (_datagram[0] & 0x10) != 0;

    public int CsrcCount => _datagram[0] & 0x0F;

    public bool Marker => (_datagram[1] & 0x80) != 0;

    public byte PayloadType => (byte)(_datagram[1] & 0x7F);

    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_datagram[2..]);

    public uint Timestamp => BinaryPrimitives.ReadUInt32BigEndian(_datagram[4..]);

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_datagram[8..]);

    /// <summary>The profile-defined 16 bits of the header extension (0xBEDE for RFC 8285 one-byte headers); 0 without one.</summary>
    public ushort ExtensionProfile =>
        HasExtension ? BinaryPrimitives.ReadUInt16BigEndian(_datagram[(_extensionDataOffset - 4)..]) : (ushort)0;

    /// <summary>The header extension's data, without its 4-byte profile/length header; empty without one.</summary>
    public ReadOnlySpan<byte> ExtensionData => _datagram.Slice(_extensionDataOffset, _extensionDataLength);

    /// <summary>Padding octets at the end, the count octet included; 0 without padding.</summary>
    public int PaddingLength => HasPadding ? _datagram[^1] : 0;

    /// <summary>The payload with any padding stripped.</summary>
    public ReadOnlySpan<byte> Payload => _datagram.Slice(_payloadOffset, _payloadLength);

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="CsrcCount"/>.</exception>
    public uint GetCsrc(int index)
    {
        if ((uint)index >= (uint)CsrcCount)
        {
            ThrowHelpers.ThrowIndexOutOfRange(nameof(index), index, CsrcCount);
        }

        return BinaryPrimitives.ReadUInt32BigEndian(_datagram[(FixedHeaderLength + (4 * index))..]);
    }

    public static bool TryParse(ReadOnlySpan<byte> datagram, out RtpPacket packet) =>
        TryParse(datagram, out packet, out _);

    /// <summary>Checks the datagram against RFC 3550 §5.1 and, when it holds, returns a view over it.</summary>
    /// <returns>false, with the reason in <paramref name="error"/>, when the lengths in the header do not fit the datagram.</returns>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out RtpPacket packet, out RtpParseError error)
    {
        packet = default;
        if (datagram.Length < FixedHeaderLength)
        {
            error = RtpParseError.TooShort;
            return false;
        }

        byte first = datagram[0];
        if (first >> 6 != Version)
        {
            error = RtpParseError.BadVersion;
            return false;
        }

        int offset = FixedHeaderLength + (4 * (first & 0x0F));
        if (offset > datagram.Length)
        {
            error = RtpParseError.CsrcListTruncated;
            return false;
        }

        int extensionDataOffset = offset;
        int extensionDataLength = 0;
        if ((first & 0x10) != 0)
        {
            if (offset + 4 > datagram.Length)
            {
                error = RtpParseError.ExtensionTruncated;
                return false;
            }

            extensionDataOffset = offset + 4;
            extensionDataLength = 4 * BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            if (extensionDataLength > datagram.Length - extensionDataOffset)
            {
                error = RtpParseError.ExtensionTruncated;
                return false;
            }

            offset = extensionDataOffset + extensionDataLength;
        }

        int end = datagram.Length;
        if ((first & 0x20) != 0)
        {
            // RFC 3550 §5.1: the last octet counts the padding octets, itself included, so 0 is
            // impossible and the count cannot reach back into the header.
            int padding = datagram[^1];
            if (padding == 0 || padding > datagram.Length - offset)
            {
                error = RtpParseError.BadPadding;
                return false;
            }

            end -= padding;
        }

        Debug.Assert(end >= offset);
        packet = new RtpPacket(datagram, extensionDataOffset, extensionDataLength, offset, end - offset);
        error = RtpParseError.None;
        return true;
    }

    /// <summary>
    /// RFC 5761 §4 demultiplexing when RTP and RTCP share a port: RTCP packet types 192–223 sit
    /// where RTP has the marker bit and payload types 64–95, which RTP/AVP does not assign.
    /// </summary>
    public static bool IsRtcp(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 4 && datagram[0] >> 6 == Version && datagram[1] is >= 192 and <= 223;
}
