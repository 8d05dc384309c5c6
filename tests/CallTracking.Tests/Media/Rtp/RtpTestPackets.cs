using CallTracking.Media.Rtp;
using CallTracking.Media.Rtp.Rtcp;

namespace CallTracking.Tests.Media.Rtp;

/// <summary>A valid RTP packet written by hand from RFC 3550 §5.1, with the header and payload it encodes.</summary>
public sealed record RtpTestPacket(string Name, byte[] Bytes, RtpHeader Header, byte[] Payload)
{
    public override string ToString() => Name;
}

/// <summary>A datagram that is not valid RTP or RTCP, and why.</summary>
public sealed record MalformedTestPacket<TError>(string Name, byte[] Bytes, TError Error)
{
    public override string ToString() => Name;
}

/// <summary>
/// RTP and RTCP datagrams shared by the media tests and the benchmarks. Every header is written
/// out byte by byte from the RFC layout, so a test compares the code with the RFC, not with itself.
/// </summary>
public static class RtpTestPackets
{
    public const uint Ssrc = 0xDEADBEEF;

    /// <summary>20 ms of G.711 µ-law at 8 kHz; a ramp, so an offset error shows.</summary>
    public static readonly byte[] PcmuPayload = Ramp(160);

    /// <summary>RFC 4733 telephone-event: digit 5, end bit, volume 10, duration 160.</summary>
    public static readonly byte[] DtmfPayload = [0x05, 0x8A, 0x00, 0xA0];

    /// <summary>RFC 8285 one-byte element id 1 (RFC 6464 audio level: voice, -32 dBov), padded to a word.</summary>
    public static readonly byte[] AudioLevelExtension = [0x10, 0xA0, 0x00, 0x00];

    public static readonly uint[] ThreeCsrcs = [0x11111111, 0x22222222, 0x33333333];

    public static readonly RtpTestPacket Plain = new(
        "plain PCMU",
        Concat(
            [0x80, 0x00, 0x12, 0x34], // V=2 P=0 X=0 CC=0 | M=0 PT=0 | seq 0x1234
            [0x00, 0x01, 0xE2, 0x40], // timestamp 123456
            [0xDE, 0xAD, 0xBE, 0xEF], // SSRC
            PcmuPayload),
        new RtpHeader(0, 0x1234, 123456, Ssrc),
        PcmuPayload);

    public static readonly RtpTestPacket WithMarker = new(
        "marker set (talkspurt start)",
        Concat(
            [0x80, 0x80, 0x12, 0x35], // M=1 PT=0
            [0x00, 0x01, 0xE2, 0xE0], // 123616
            [0xDE, 0xAD, 0xBE, 0xEF],
            PcmuPayload),
        new RtpHeader(0, 0x1235, 123616, Ssrc) { Marker = true },
        PcmuPayload);

    public static readonly RtpTestPacket WithCsrcs = new(
        "three CSRCs",
        Concat(
            [0x83, 0x08, 0x12, 0x36], // CC=3 | PT=8 (PCMA)
            [0x00, 0x01, 0xE3, 0x80], // 123776
            [0xDE, 0xAD, 0xBE, 0xEF],
            [0x11, 0x11, 0x11, 0x11],
            [0x22, 0x22, 0x22, 0x22],
            [0x33, 0x33, 0x33, 0x33],
            PcmuPayload),
        new RtpHeader(8, 0x1236, 123776, Ssrc) { Csrcs = ThreeCsrcs },
        PcmuPayload);

    public static readonly RtpTestPacket WithExtension = new(
        "one-byte header extension 0xBEDE",
        Concat(
            [0x90, 0x00, 0x12, 0x37], // X=1
            [0x00, 0x01, 0xE4, 0x20], // 123936
            [0xDE, 0xAD, 0xBE, 0xEF],
            [0xBE, 0xDE, 0x00, 0x01], // profile 0xBEDE, 1 word
            AudioLevelExtension,
            PcmuPayload),
        new RtpHeader(0, 0x1237, 123936, Ssrc) { HasExtension = true, ExtensionProfile = 0xBEDE, ExtensionData = AudioLevelExtension },
        PcmuPayload);

    public static readonly RtpTestPacket WithPadding = new(
        "4 octets of padding",
        Concat(
            [0xA0, 0x00, 0x12, 0x38], // P=1
            [0x00, 0x01, 0xE4, 0xC0], // 124096
            [0xDE, 0xAD, 0xBE, 0xEF],
            PcmuPayload,
            [0x00, 0x00, 0x00, 0x04]),
        new RtpHeader(0, 0x1238, 124096, Ssrc) { PaddingLength = 4 },
        PcmuPayload);

    public static readonly RtpTestPacket PaddingOnly = new(
        "padding and no payload",
        Concat(
            [0xA0, 0x00, 0x12, 0x39],
            [0x00, 0x01, 0xE5, 0x60], // 124256
            [0xDE, 0xAD, 0xBE, 0xEF],
            [0x00, 0x00, 0x00, 0x04]),
        new RtpHeader(0, 0x1239, 124256, Ssrc) { PaddingLength = 4 },
        []);

    public static readonly RtpTestPacket AllCombined = new(
        "marker, CSRCs, extension, padding, telephone-event",
        Concat(
            [0xB3, 0xE5, 0xFF, 0xFF], // P=1 X=1 CC=3 | M=1 PT=101 | seq 65535
            [0xFF, 0xFF, 0xFF, 0x60], // 4294967136
            [0xDE, 0xAD, 0xBE, 0xEF],
            [0x11, 0x11, 0x11, 0x11],
            [0x22, 0x22, 0x22, 0x22],
            [0x33, 0x33, 0x33, 0x33],
            [0xBE, 0xDE, 0x00, 0x01],
            AudioLevelExtension,
            DtmfPayload,
            [0x00, 0x00, 0x03]),
        new RtpHeader(101, 0xFFFF, 0xFFFFFF60, Ssrc)
        {
            Marker = true,
            Csrcs = ThreeCsrcs,
            HasExtension = true,
            ExtensionProfile = 0xBEDE,
            ExtensionData = AudioLevelExtension,
            PaddingLength = 3,
        },
        DtmfPayload);

    public static readonly IReadOnlyList<RtpTestPacket> AllValid =
        [Plain, WithMarker, WithCsrcs, WithExtension, WithPadding, PaddingOnly, AllCombined];

    public static readonly IReadOnlyList<MalformedTestPacket<RtpParseError>> Malformed =
    [
        new("11 bytes", Plain.Bytes[..11], RtpParseError.TooShort),
        new("version 1", Concat([0x40], Plain.Bytes[1..]), RtpParseError.BadVersion),
        new("STUN binding request (version 0)",
            Concat([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
            RtpParseError.BadVersion),
        new("CC=15 with two CSRCs", Concat([0x8F], Plain.Bytes[1..12], [1, 1, 1, 1, 2, 2, 2, 2]), RtpParseError.CsrcListTruncated),
        new("extension header cut", Concat([0x90], Plain.Bytes[1..12], [0xBE, 0xDE]), RtpParseError.ExtensionTruncated),
        new("extension length 16 words, 1 present",
            Concat([0x90], Plain.Bytes[1..12], [0xBE, 0xDE, 0x00, 0x10], AudioLevelExtension),
            RtpParseError.ExtensionTruncated),
        new("padding count 0", Concat([0xA0], Plain.Bytes[1..12], [0x7F, 0x7F, 0x00]), RtpParseError.BadPadding),
        new("padding count past the header", Concat([0xA0], Plain.Bytes[1..12], [0x01, 0x02, 0x30]), RtpParseError.BadPadding),
        new("header only, padding bit set", Concat([0xA0], Plain.Bytes[1..12]), RtpParseError.BadPadding),
    ];

    // ---- RTCP (RFC 3550 §6) ----

    public const uint RemoteSsrc = 0x5A1B2C3D;

    public static readonly byte[] AsteriskCname = "3b0c8a44-8f1c-4e6a-9f39-2c1d5b7e9a10"u8.ToArray();

    /// <summary>
    /// SR with one report block + SDES CNAME, laid out as a PBX sends it every ~5 s during a call
    /// (values chosen by hand: sender 0x5A1B2C3D, 500 packets of 160 octets, reporting on 0x11223344).
    /// </summary>
    public static readonly byte[] SenderReportWithSdes = Concat(
        [0x81, 0xC8, 0x00, 0x0C], // V=2 P=0 RC=1 | PT=200 SR | length 12 (52 octets)
        [0x5A, 0x1B, 0x2C, 0x3D], // sender SSRC
        [0xE9, 0x4F, 0x1A, 0x2B], // NTP seconds
        [0x80, 0x00, 0x00, 0x00], // NTP fraction (.5)
        [0x00, 0x0F, 0x42, 0x40], // RTP timestamp 1,000,000
        [0x00, 0x00, 0x01, 0xF4], // sender's packet count 500
        [0x00, 0x01, 0x38, 0x80], // sender's octet count 80,000
        [0x11, 0x22, 0x33, 0x44], // report block: SSRC
        [0x05, 0x00, 0x00, 0x0C], // fraction lost 5/256, cumulative lost 12
        [0x00, 0x01, 0x03, 0xE8], // extended highest: 1 cycle, seq 1000
        [0x00, 0x00, 0x00, 0x2A], // jitter 42
        [0x4F, 0x1A, 0x20, 0x00], // LSR
        [0x00, 0x01, 0x80, 0x00], // DLSR 1.5 s
        [0x81, 0xCA, 0x00, 0x0B], // V=2 SC=1 | PT=202 SDES | length 11 (48 octets)
        [0x5A, 0x1B, 0x2C, 0x3D], // chunk SSRC
        [0x01, 0x24],             // CNAME, 36 octets
        AsteriskCname,
        [0x00, 0x00]);            // end of items, pad to the word

    /// <summary>What a hanging-up receiver sends: empty RR + SDES CNAME "alice" + BYE "call ended" (RFC 3550 §6.6).</summary>
    public static readonly byte[] ReceiverReportSdesBye = Concat(
        [0x80, 0xC9, 0x00, 0x01], // RC=0 | PT=201 RR | length 1
        [0x0A, 0x0B, 0x0C, 0x0D],
        [0x81, 0xCA, 0x00, 0x03], // SC=1 | SDES | length 3
        [0x0A, 0x0B, 0x0C, 0x0D],
        [0x01, 0x05, 0x61, 0x6C, 0x69, 0x63, 0x65, 0x00], // CNAME "alice", end
        [0x81, 0xCB, 0x00, 0x04], // SC=1 | PT=203 BYE | length 4
        [0x0A, 0x0B, 0x0C, 0x0D],
        [0x0A, 0x63, 0x61, 0x6C, 0x6C, 0x20, 0x65, 0x6E, 0x64, 0x65, 0x64, 0x00]); // 10 "call ended", pad

    public static readonly IReadOnlyList<byte[]> ValidRtcp = [SenderReportWithSdes, ReceiverReportSdesBye];

    public static readonly IReadOnlyList<MalformedTestPacket<RtcpParseError>> MalformedRtcp =
    [
        new("3 octets", [0x80, 0xC9, 0x00], RtcpParseError.TooShort),
        new("version 1", [0x40, 0xC9, 0x00, 0x01, 0x0A, 0x0B, 0x0C, 0x0D], RtcpParseError.BadVersion),
        new("length past the datagram", [0x80, 0xC9, 0x00, 0x05, 0x0A, 0x0B, 0x0C, 0x0D, 0, 0, 0, 0], RtcpParseError.LengthExceedsDatagram),
        new("padding count 0", [0xA0, 0xC9, 0x00, 0x01, 0x0A, 0x0B, 0x0C, 0x00], RtcpParseError.BadPadding),
        new("padding count past the content", [0xA0, 0xC9, 0x00, 0x01, 0x0A, 0x0B, 0x0C, 0x09], RtcpParseError.BadPadding),
        new("SR announcing a block it has no room for", Concat([0x81, 0xC8, 0x00, 0x06], SenderReportWithSdes[4..28]), RtcpParseError.CountExceedsLength),
        new("RR announcing 2 blocks, holding 1", Concat([0x82, 0xC9, 0x00, 0x07, 0x0A, 0x0B, 0x0C, 0x0D], SenderReportWithSdes[28..52]), RtcpParseError.CountExceedsLength),
        new("SDES item longer than the packet", [0x81, 0xCA, 0x00, 0x02, 0x0A, 0x0B, 0x0C, 0x0D, 0x01, 0x03, 0x61, 0x62], RtcpParseError.ItemTruncated),
        new("SDES chunk without its end octet", [0x81, 0xCA, 0x00, 0x02, 0x0A, 0x0B, 0x0C, 0x0D, 0x01, 0x02, 0x61, 0x62], RtcpParseError.ItemTruncated),
        new("SDES with 2 chunks, holding 1", [0x82, 0xCA, 0x00, 0x02, 0x0A, 0x0B, 0x0C, 0x0D, 0x01, 0x01, 0x61, 0x00], RtcpParseError.CountExceedsLength),
        new("BYE reason longer than the packet", [0x81, 0xCB, 0x00, 0x02, 0x0A, 0x0B, 0x0C, 0x0D, 0x08, 0x61, 0x62, 0x63], RtcpParseError.ItemTruncated),
        new("BYE with 3 sources, holding 1", [0x83, 0xCB, 0x00, 0x01, 0x0A, 0x0B, 0x0C, 0x0D], RtcpParseError.CountExceedsLength),
    ];

    /// <summary>Walks a compound datagram and parses every SR, RR, SDES and BYE in it: the first error, or None.</summary>
    public static RtcpParseError ParseEverything(ReadOnlySpan<byte> datagram, out long checksum)
    {
        checksum = 0;
        var reader = new RtcpCompoundReader(datagram);
        while (reader.MoveNext())
        {
            RtcpPacket packet = reader.Current;
            RtcpParseError error = RtcpParseError.None;
            switch (packet.PacketType)
            {
                case RtcpPacketType.SenderReport when RtcpSenderReport.TryParse(packet, out var sr, out error):
                    checksum += sr.Ssrc + sr.SenderInfo.PacketCount + sr.ProfileExtension.Length;
                    for (int i = 0; i < sr.ReportCount; i++)
                    {
                        checksum += sr.GetReportBlock(i).CumulativeLost;
                    }

                    break;
                case RtcpPacketType.ReceiverReport when RtcpReceiverReport.TryParse(packet, out var rr, out error):
                    checksum += rr.Ssrc + rr.ProfileExtension.Length;
                    for (int i = 0; i < rr.ReportCount; i++)
                    {
                        checksum += rr.GetReportBlock(i).Jitter;
                    }

                    break;
                case RtcpPacketType.SourceDescription when RtcpSourceDescription.TryParse(packet, out var sdes, out error):
                    foreach (RtcpSdesItem item in sdes)
                    {
                        checksum += item.Ssrc + item.Value.Length;
                    }

                    break;
                case RtcpPacketType.Goodbye when RtcpBye.TryParse(packet, out var bye, out error):
                    for (int i = 0; i < bye.SourceCount; i++)
                    {
                        checksum += bye.GetSsrc(i);
                    }

                    checksum += bye.Reason.Length;
                    break;
                default:
                    break;
            }

            if (error != RtcpParseError.None)
            {
                return error;
            }
        }

        return reader.Error;
    }

    public static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        int offset = 0;
        foreach (byte[] part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }

    private static byte[] Ramp(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(0xFF - i);
        }

        return bytes;
    }
}
