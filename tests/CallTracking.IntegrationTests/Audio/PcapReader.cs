using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace CallTracking.IntegrationTests.Audio;

/// <summary>One UDP datagram from a capture, with where it came from and whether its checksums hold.</summary>
public sealed record PcapUdpPacket(
    int Index,
    DateTimeOffset Time,
    IPEndPoint Source,
    IPEndPoint Destination,
    byte[] Payload,
    bool Ipv4ChecksumValid,
    bool UdpChecksumValid)
{
    /// <summary>The payload as RTP, or null when it is not RTP version 2.</summary>
    public RtpPacket? Rtp => RtpPacket.TryParse(Payload, out var rtp) ? rtp : null;
}

/// <summary>What a pcap file holds: its link type, how many records, the UDP datagrams among them.</summary>
public sealed record PcapFile(uint LinkType, int RecordCount, IReadOnlyList<PcapUdpPacket> UdpPackets)
{
    /// <summary>Every UDP datagram that parses as RTP, in capture order.</summary>
    public IReadOnlyList<RtpPacket> RtpPackets => UdpPackets.Select(p => p.Rtp).OfType<RtpPacket>().ToList();

    /// <summary>Packets per RTP payload type.</summary>
    public IReadOnlyDictionary<byte, int> PayloadTypes =>
        RtpPackets.GroupBy(p => p.PayloadType).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>From the first record's time stamp to the last one's.</summary>
    public TimeSpan Duration => UdpPackets.Count < 2 ? TimeSpan.Zero : UdpPackets[^1].Time - UdpPackets[0].Time;

    public override string ToString()
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"link type {LinkType}, {RecordCount} records, {UdpPackets.Count} UDP, {RtpPackets.Count} RTP, {Duration.TotalMilliseconds:0} ms");
        foreach (var (type, count) in PayloadTypes)
        {
            text.Append(CultureInfo.InvariantCulture, $"; PT {type} ×{count}");
        }

        return text.ToString();
    }
}

/// <summary>
/// Reads libpcap files as sipp and Debian ship them and as <see cref="RtpPcapWriter"/> writes them:
/// either byte order, microsecond (a1b2c3d4) or nanosecond (a1b23c4d) time stamps; link types
/// Ethernet (1, with 802.1Q tags), BSD loopback (0), raw IP (101, 12) and Linux cooked (113);
/// IPv4 and IPv6 UDP. Other records are counted and skipped. Not pcapng.
/// </summary>
public static class PcapReader
{
    public static PcapFile Read(string path) => Parse(File.ReadAllBytes(path), path);

    public static PcapFile Parse(ReadOnlySpan<byte> bytes, string name = "pcap")
    {
        if (bytes.Length < 24)
        {
            throw new InvalidDataException($"{name}: too short for a pcap global header ({bytes.Length} bytes).");
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        var (littleEndian, nanoseconds) = magic switch
        {
            0xA1B2C3D4 => (true, false),
            0xA1B23C4D => (true, true),
            0xD4C3B2A1 => (false, false),
            0x4D3CB2A1 => (false, true),
            0x0A0D0D0A => throw new InvalidDataException($"{name}: pcapng is not supported; convert it with `editcap -F pcap`."),
            _ => throw new InvalidDataException($"{name}: not a pcap file (magic {magic:x8})."),
        };
        uint U32(ReadOnlySpan<byte> b) => littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

        var linkType = U32(bytes[20..]) & 0xFFFF;
        var packets = new List<PcapUdpPacket>();
        var records = 0;
        var offset = 24;
        while (offset + 16 <= bytes.Length)
        {
            var seconds = U32(bytes[offset..]);
            var fraction = U32(bytes[(offset + 4)..]);
            var captured = (int)U32(bytes[(offset + 8)..]);
            var data = offset + 16;
            if (captured < 0 || data + captured > bytes.Length)
            {
                throw new InvalidDataException($"{name}: record {records} at byte {offset} runs past the end of the file.");
            }

            var time = DateTimeOffset.UnixEpoch.AddSeconds(seconds).AddTicks(nanoseconds ? fraction / 100 : fraction * 10L);
            if (TryUdp(bytes.Slice(data, captured), linkType, out var source, out var destination, out var payload, out var ipOk, out var udpOk))
            {
                packets.Add(new PcapUdpPacket(records, time, source, destination, payload, ipOk, udpOk));
            }

            records++;
            offset = data + captured;
        }

        return new PcapFile(linkType, records, packets);
    }

    private static bool TryUdp(
        ReadOnlySpan<byte> frame,
        uint linkType,
        out IPEndPoint source,
        out IPEndPoint destination,
        out byte[] payload,
        out bool ipv4ChecksumValid,
        out bool udpChecksumValid)
    {
        source = destination = null!;
        payload = [];
        ipv4ChecksumValid = udpChecksumValid = false;
        ReadOnlySpan<byte> ip;
        switch (linkType)
        {
            case 1:
                {
                    var offset = 12;
                    var etherType = frame.Length >= 14 ? BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) : 0;
                    while (etherType is 0x8100 or 0x88A8 && frame.Length >= offset + 6)
                    {
                        offset += 4;
                        etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
                    }

                    if (etherType is not (0x0800 or 0x86DD))
                    {
                        return false;
                    }

                    ip = frame[(offset + 2)..];
                    break;
                }

            case 0:
                ip = frame.Length >= 4 ? frame[4..] : [];
                break;
            case 12 or 101:
                ip = frame;
                break;
            case 113:
                ip = frame.Length >= 16 ? frame[16..] : [];
                break;
            default:
                return false;
        }

        if (ip.Length < 1)
        {
            return false;
        }

        ReadOnlySpan<byte> udp;
        ReadOnlySpan<byte> srcAddress, dstAddress;
        if (ip[0] >> 4 == 4)
        {
            var headerLength = 4 * (ip[0] & 0x0F);
            if (ip.Length < headerLength || ip[9] != 17)
            {
                return false;
            }

            var total = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(ip[2..]), ip.Length);
            ipv4ChecksumValid = RtpPcapWriter.InternetChecksum(ip[..headerLength], 0) == 0;
            srcAddress = ip.Slice(12, 4);
            dstAddress = ip.Slice(16, 4);
            udp = ip[headerLength..total];
        }
        else if (ip[0] >> 4 == 6 && ip.Length >= 40 && ip[6] == 17)
        {
            srcAddress = ip.Slice(8, 16);
            dstAddress = ip.Slice(24, 16);
            udp = ip[40..];
            ipv4ChecksumValid = true;
        }
        else
        {
            return false;
        }

        if (udp.Length < 8)
        {
            return false;
        }

        var udpLength = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(udp[4..]), udp.Length);
        udp = udp[..udpLength];
        var checksum = BinaryPrimitives.ReadUInt16BigEndian(udp[6..]);
        udpChecksumValid = checksum == 0 || srcAddress.Length != 4 || RtpPcapWriter.UdpChecksum(srcAddress, dstAddress, udp) == 0;
        source = new IPEndPoint(new IPAddress(srcAddress), BinaryPrimitives.ReadUInt16BigEndian(udp));
        destination = new IPEndPoint(new IPAddress(dstAddress), BinaryPrimitives.ReadUInt16BigEndian(udp[2..]));
        payload = udp[8..].ToArray();
        return true;
    }
}
