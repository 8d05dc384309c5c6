using System.Buffers.Binary;
using System.Net;

namespace CallTracking.IntegrationTests.Audio;

/// <summary>How <see cref="RtpPcapWriter"/> labels its packets. sipp's play_pcap_audio replaces the addresses with the call's.</summary>
public sealed record RtpPcapOptions
{
    public uint Ssrc { get; init; } = 0x43540001;

    public ushort FirstSequenceNumber { get; init; } = 1000;

    public uint FirstTimestamp { get; init; } = 160_000;

    /// <summary>Samples per packet: 160 = 20 ms at 8 kHz.</summary>
    public int SamplesPerPacket { get; init; } = 160;

    public IPEndPoint Source { get; init; } = new(IPAddress.Parse("10.0.0.1"), 40000);

    public IPEndPoint Destination { get; init; } = new(IPAddress.Parse("10.0.0.2"), 6000);

    /// <summary>The capture time of the first packet; the others follow every packet duration.</summary>
    public DateTimeOffset StartTime { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
}

/// <summary>
/// Writes 8 kHz PCM as a pcap (libpcap format, magic a1b2c3d4, microseconds, link type 1
/// Ethernet) of G.711 RTP: one Ethernet/IPv4/UDP/RTP packet per 20 ms, payload type 0 (PCMU)
/// or 8 (PCMA), sequence numbers +1 and timestamps +160 per packet, the marker bit on the first,
/// one SSRC, record time stamps 20 ms apart, IPv4 and UDP checksums filled in. The last frame
/// is padded with silence. sipp's <c>&lt;exec play_pcap_audio="…"/&gt;</c> plays it.
/// </summary>
public static class RtpPcapWriter
{
    public const uint PcapMagic = 0xA1B2C3D4;
    public const uint LinkTypeEthernet = 1;
    private const int EthernetHeaderLength = 14;
    private const int Ipv4HeaderLength = 20;
    private const int UdpHeaderLength = 8;

    /// <summary>Encodes <paramref name="audio"/> (8000 Hz) with <paramref name="law"/> and writes the pcap to <paramref name="path"/>.</summary>
    public static void Write(string path, PcmAudio audio, G711Law law, RtpPcapOptions? options = null) =>
        File.WriteAllBytes(path, Build(audio, law, options));

    public static byte[] Build(PcmAudio audio, G711Law law, RtpPcapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.SampleRate != 8000)
        {
            throw new ArgumentException($"G.711 RTP needs 8000 Hz audio; this is {audio.SampleRate} Hz (resample it first).", nameof(audio));
        }

        options ??= new RtpPcapOptions();
        var frame = options.SamplesPerPacket;
        var codes = G711.Encode(audio.Samples, law);
        var payloads = new List<byte[]>();
        for (var offset = 0; offset < codes.Length; offset += frame)
        {
            var payload = new byte[frame];
            Array.Fill(payload, G711.Silence(law));
            codes.AsSpan(offset, Math.Min(frame, codes.Length - offset)).CopyTo(payload);
            payloads.Add(payload);
        }

        return BuildFromPayloads(payloads, G711.PayloadType(law), options);
    }

    /// <summary>One RTP packet per payload, each <see cref="RtpPcapOptions.SamplesPerPacket"/> samples (timestamp units) after the previous.</summary>
    public static byte[] BuildFromPayloads(IReadOnlyList<byte[]> payloads, byte payloadType, RtpPcapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        options ??= new RtpPcapOptions();
        var packets = payloads.Select((payload, i) => new RtpPacket(
            i == 0,
            payloadType,
            unchecked((ushort)(options.FirstSequenceNumber + i)),
            unchecked(options.FirstTimestamp + (uint)(i * options.SamplesPerPacket)),
            options.Ssrc,
            payload)).ToList();
        var interval = TimeSpan.FromSeconds(options.SamplesPerPacket / 8000.0);
        return BuildPcap(packets.Select((p, i) => (options.StartTime + (interval * i), p.ToBytes())), options.Source, options.Destination);
    }

    /// <summary>A pcap of UDP datagrams from <paramref name="source"/> to <paramref name="destination"/> (IPv4) at the given times.</summary>
    public static byte[] BuildPcap(IEnumerable<(DateTimeOffset Time, byte[] Datagram)> datagrams, IPEndPoint source, IPEndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(datagrams);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, PcapMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0); // thiszone
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0); // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535); // snaplen
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeEthernet);
        stream.Write(header);

        ushort identification = 1;
        Span<byte> record = stackalloc byte[16];
        foreach (var (time, datagram) in datagrams)
        {
            var frame = Frame(datagram, source, destination, identification++);
            var micros = (time - DateTimeOffset.UnixEpoch).Ticks / 10;
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(micros / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(micros % 1_000_000));
            BinaryPrimitives.WriteInt32LittleEndian(record[8..], frame.Length); // captured
            BinaryPrimitives.WriteInt32LittleEndian(record[12..], frame.Length); // on the wire
            stream.Write(record);
            stream.Write(frame);
        }

        return stream.ToArray();
    }

    private static byte[] Frame(byte[] datagram, IPEndPoint source, IPEndPoint destination, ushort identification)
    {
        var src = source.Address.MapToIPv4().GetAddressBytes();
        var dst = destination.Address.MapToIPv4().GetAddressBytes();
        var udpLength = UdpHeaderLength + datagram.Length;
        var ipLength = Ipv4HeaderLength + udpLength;
        var frame = new byte[EthernetHeaderLength + ipLength];
        var span = frame.AsSpan();

        // Ethernet II: locally administered MACs, EtherType IPv4.
        byte[] dstMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
        byte[] srcMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
        dstMac.CopyTo(span);
        srcMac.CopyTo(span[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], 0x0800);

        var ip = span.Slice(EthernetHeaderLength, Ipv4HeaderLength);
        ip[0] = 0x45; // version 4, IHL 5
        ip[1] = 0xB8; // DSCP EF, as phones mark voice
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLength);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], identification);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // don't fragment
        ip[8] = 64; // TTL
        ip[9] = 17; // UDP
        src.CopyTo(ip[12..]);
        dst.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum(ip, 0));

        var udp = span.Slice(EthernetHeaderLength + Ipv4HeaderLength, udpLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)destination.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udpLength);
        datagram.CopyTo(udp[UdpHeaderLength..]);
        var checksum = UdpChecksum(src, dst, udp);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], checksum == 0 ? (ushort)0xFFFF : checksum);
        return frame;
    }

    /// <summary>The UDP checksum over the IPv4 pseudo-header and <paramref name="udp"/> (checksum field included as it is).</summary>
    public static ushort UdpChecksum(ReadOnlySpan<byte> sourceAddress, ReadOnlySpan<byte> destinationAddress, ReadOnlySpan<byte> udp)
    {
        Span<byte> pseudo = stackalloc byte[12];
        sourceAddress.CopyTo(pseudo);
        destinationAddress.CopyTo(pseudo[4..]);
        pseudo[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo[10..], (ushort)udp.Length);
        return InternetChecksum(udp, Sum(pseudo, 0));
    }

    /// <summary>RFC 1071: the ones' complement of the ones' complement sum of 16-bit words (0 over a header whose checksum is right).</summary>
    public static ushort InternetChecksum(ReadOnlySpan<byte> data, uint initial)
    {
        var sum = Sum(data, initial);
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static uint Sum(ReadOnlySpan<byte> data, uint sum)
    {
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
        }

        return sum;
    }
}
