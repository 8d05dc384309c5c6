using System.Buffers.Binary;

namespace CallTracking.Media.Rtp.Rtcp;

/// <summary>
/// One packet of an RTCP compound datagram: the common header (RFC 3550 §6.4.1) and a view of
/// its content. Read its content with <see cref="RtcpSenderReport"/>, <see cref="RtcpReceiverReport"/>,
/// <see cref="RtcpSourceDescription"/> or <see cref="RtcpBye"/>.
/// </summary>
/// <remarks>
/// <code>
/// |V=2|P|  count  |      PT       |             length            |
/// </code>
/// length is the packet's size in 32-bit words minus one, header and padding included.
/// </remarks>
public readonly ref struct RtcpPacket
{
    public const int HeaderLength = 4;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _contentLength;

    private RtcpPacket(ReadOnlySpan<byte> packet, int contentLength)
    {
        _packet = packet;
        _contentLength = contentLength;
    }

    /// <summary>The whole packet, header and padding included.</summary>
    public ReadOnlySpan<byte> Bytes => _packet;

    public bool HasPadding => (_packet[0] & 0x20) != 0;

    /// <summary>The 5-bit count: report blocks (SR, RR), chunks (SDES), sources (BYE) or subtype (APP, feedback).</summary>
    public int Count => _packet[0] & 0x1F;

    public byte Type => _packet[1];

    public RtcpPacketType PacketType => (RtcpPacketType)_packet[1];

    /// <summary>Packet size in octets, header and padding included.</summary>
    public int Length => _packet.Length;

    /// <summary>Everything after the 4-byte header, padding stripped.</summary>
    public ReadOnlySpan<byte> Content => _packet.Slice(HeaderLength, _contentLength);

    /// <summary>Reads the packet at the start of <paramref name="data"/>; the rest of the data is left alone.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtcpPacket packet, out RtcpParseError error)
    {
        packet = default;
        if (data.Length < HeaderLength)
        {
            error = RtcpParseError.TooShort;
            return false;
        }

        if (data[0] >> 6 != RtpPacket.Version)
        {
            error = RtcpParseError.BadVersion;
            return false;
        }

        int length = 4 * (BinaryPrimitives.ReadUInt16BigEndian(data[2..]) + 1);
        if (length > data.Length)
        {
            error = RtcpParseError.LengthExceedsDatagram;
            return false;
        }

        int contentLength = length - HeaderLength;
        if ((data[0] & 0x20) != 0)
        {
            int padding = data[length - 1];
            if (padding == 0 || padding > contentLength)
            {
                error = RtcpParseError.BadPadding;
                return false;
            }

            contentLength -= padding;
        }

        packet = new RtcpPacket(data[..length], contentLength);
        error = RtcpParseError.None;
        return true;
    }
}
