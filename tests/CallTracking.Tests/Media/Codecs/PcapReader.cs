using System.Buffers.Binary;

namespace CallTracking.Tests.Media.Codecs;

/// <summary>One RTP packet found in a capture.</summary>
internal readonly record struct CapturedRtp(bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc, byte[] Payload);

/// <summary>
/// Just enough libpcap reading for test captures: classic pcap (either byte order,
/// µs or ns), Ethernet or Linux cooked link layer, IPv4, UDP, RTP version 2.
/// </summary>
internal static class PcapReader
{
    private const int GlobalHeaderSize = 24;
    private const int RecordHeaderSize = 16;

    public static IReadOnlyList<CapturedRtp> ReadRtp(string path) => ReadRtp(File.ReadAllBytes(path));

    public static IReadOnlyList<CapturedRtp> ReadRtp(ReadOnlySpan<byte> file)
    {
        if (file.Length < GlobalHeaderSize)
        {
            throw new InvalidDataException("Not a pcap file: too short.");
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        var littleEndian = magic is 0xA1B2C3D4 or 0xA1B23C4D;
        if (!littleEndian && magic is not (0xD4C3B2A1 or 0x4D3CB2A1))
        {
            throw new InvalidDataException($"Not a pcap file: magic 0x{magic:X8}.");
        }

        var linkType = ReadUInt32(file[20..], littleEndian);
        var packets = new List<CapturedRtp>();
        var offset = GlobalHeaderSize;
        while (offset + RecordHeaderSize <= file.Length)
        {
            var capturedLength = (int)ReadUInt32(file[(offset + 8)..], littleEndian);
            offset += RecordHeaderSize;
            if (offset + capturedLength > file.Length)
            {
                break; // truncated capture
            }

            if (TryReadRtp(file.Slice(offset, capturedLength), linkType, out var rtp))
            {
                packets.Add(rtp);
            }

            offset += capturedLength;
        }

        return packets;
    }

    private static bool TryReadRtp(ReadOnlySpan<byte> frame, uint linkType, out CapturedRtp rtp)
    {
        rtp = default;
        int etherType;
        switch (linkType)
        {
            case 1: // Ethernet
                if (frame.Length < 14)
                {
                    return false;
                }

                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
                frame = frame[14..];
                if (etherType == 0x8100 && frame.Length >= 4) // 802.1Q tag
                {
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[2..]);
                    frame = frame[4..];
                }

                break;
            case 113: // Linux cooked capture
                if (frame.Length < 16)
                {
                    return false;
                }

                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
                frame = frame[16..];
                break;
            default:
                return false;
        }

        if (etherType != 0x0800 || frame.Length < 20 || frame[0] >> 4 != 4)
        {
            return false;
        }

        var ipHeaderLength = (frame[0] & 0x0F) * 4;
        var ipTotalLength = BinaryPrimitives.ReadUInt16BigEndian(frame[2..]);
        if (frame[9] != 17 || ipTotalLength > frame.Length || ipHeaderLength + 8 > ipTotalLength)
        {
            return false;
        }

        var udp = frame[ipHeaderLength..ipTotalLength];
        var udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        if (udpLength < 8 || udpLength > udp.Length)
        {
            return false;
        }

        var packet = udp[8..udpLength];
        if (packet.Length < 12 || packet[0] >> 6 != 2)
        {
            return false;
        }

        var headerLength = 12 + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0 && packet.Length >= headerLength + 4)
        {
            headerLength += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(headerLength + 2)..]));
        }

        var end = packet.Length;
        if ((packet[0] & 0x20) != 0 && end > headerLength)
        {
            end -= packet[end - 1]; // padding
        }

        if (headerLength > end)
        {
            return false;
        }

        rtp = new CapturedRtp(
            (packet[1] & 0x80) != 0,
            (byte)(packet[1] & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            packet[headerLength..end].ToArray());
        return true;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
}
