using CallTracking.Media.Rtp;

namespace CallTracking.Tests.Media.Rtp;

public sealed class RtpPacketTests
{
    public static TheoryData<RtpTestPacket> Valid => new(RtpTestPackets.AllValid);

    public static TheoryData<MalformedTestPacket<RtpParseError>> Malformed => new(RtpTestPackets.Malformed);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Hand_written_packet_parses_to_its_fields_and_payload(RtpTestPacket test)
    {
        Assert.True(RtpPacket.TryParse(test.Bytes, out RtpPacket packet, out RtpParseError error));
        Assert.Equal(RtpParseError.None, error);
        AssertMatches(test.Header, test.Payload, packet);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Writer_produces_the_hand_written_bytes(RtpTestPacket test)
    {
        var buffer = new byte[1500];
        int written = RtpWriter.Write(buffer, test.Header, test.Payload);
        Assert.Equal(RtpWriter.GetLength(test.Header, test.Payload.Length), written);
        Assert.Equal(test.Bytes, buffer[..written]);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Write_then_parse_round_trips_every_field(RtpTestPacket test)
    {
        var buffer = new byte[1500];
        int written = RtpWriter.Write(buffer, test.Header, test.Payload);
        Assert.True(RtpPacket.TryParse(buffer.AsSpan(0, written), out RtpPacket packet));
        AssertMatches(test.Header, test.Payload, packet);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Every_truncated_prefix_is_rejected_without_throwing(RtpTestPacket test)
    {
        // With a payload, a cut inside it still leaves a well-formed (shorter) packet, so only a
        // cut inside the header or a cut that breaks the padding count must fail.
        int headerEnd = test.Bytes.Length - test.Payload.Length - test.Header.PaddingLength;
        for (int length = 0; length < test.Bytes.Length; length++)
        {
            bool parsed = RtpPacket.TryParse(test.Bytes.AsSpan(0, length), out RtpPacket packet, out RtpParseError error);
            if (length < headerEnd || (test.Header.PaddingLength != 0 && test.Bytes[length - 1] == 0))
            {
                Assert.False(parsed, $"prefix of {length} octets parsed");
                Assert.NotEqual(RtpParseError.None, error);
            }
            else if (parsed)
            {
                Assert.True(packet.Payload.Length <= test.Payload.Length + test.Header.PaddingLength);
            }
        }
    }

    [Fact]
    public void Prefixes_shorter_than_the_header_of_a_plain_packet_all_fail_and_longer_ones_shorten_the_payload()
    {
        byte[] bytes = RtpTestPackets.Plain.Bytes;
        for (int length = 0; length < bytes.Length; length++)
        {
            bool parsed = RtpPacket.TryParse(bytes.AsSpan(0, length), out RtpPacket packet);
            Assert.Equal(length >= RtpPacket.FixedHeaderLength, parsed);
            if (parsed)
            {
                Assert.Equal(length - RtpPacket.FixedHeaderLength, packet.Payload.Length);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_packet_is_rejected_with_its_reason(MalformedTestPacket<RtpParseError> test)
    {
        Assert.False(RtpPacket.TryParse(test.Bytes, out _, out RtpParseError error));
        Assert.Equal(test.Error, error);
    }

    [Fact]
    public void Csrc_index_out_of_range_throws()
    {
        Assert.True(RtpPacket.TryParse(RtpTestPackets.WithCsrcs.Bytes, out RtpPacket packet));
        Assert.Equal(0x33333333u, packet.GetCsrc(2));
        try
        {
            _ = packet.GetCsrc(3);
            Assert.Fail("expected ArgumentOutOfRangeException");
        }
        catch (ArgumentOutOfRangeException)
        {
        }
    }

    [Fact]
    public void Packet_without_extension_reports_no_profile_and_empty_data()
    {
        Assert.True(RtpPacket.TryParse(RtpTestPackets.Plain.Bytes, out RtpPacket packet));
        Assert.False(packet.HasExtension);
        Assert.Equal(0, packet.ExtensionProfile);
        Assert.True(packet.ExtensionData.IsEmpty);
        Assert.Equal(0, packet.PaddingLength);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0xC8, 0x00, 0x06 }, true)]  // SR
    [InlineData(new byte[] { 0x81, 0xC9, 0x00, 0x07 }, true)]  // RR
    [InlineData(new byte[] { 0x81, 0xCB, 0x00, 0x01 }, true)]  // BYE
    [InlineData(new byte[] { 0x80, 0xDF, 0x00, 0x01 }, true)]  // 223, top of the range
    [InlineData(new byte[] { 0x80, 0x00, 0x12, 0x34 }, false)] // PCMU
    [InlineData(new byte[] { 0x80, 0xE5, 0x12, 0x34 }, false)] // marker + PT 101 = 229
    [InlineData(new byte[] { 0x80, 0xBF, 0x12, 0x34 }, false)] // 191
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x00 }, false)] // STUN
    [InlineData(new byte[] { 0x80, 0xC8 }, false)]
    public void Rtcp_is_told_from_rtp_by_the_second_octet(byte[] datagram, bool isRtcp) =>
        Assert.Equal(isRtcp, RtpPacket.IsRtcp(datagram));

    [Fact]
    public void Writer_returns_minus_one_and_writes_nothing_when_the_buffer_is_short()
    {
        RtpTestPacket test = RtpTestPackets.AllCombined;
        var buffer = new byte[test.Bytes.Length - 1];
        Assert.Equal(-1, RtpWriter.Write(buffer, test.Header, test.Payload));
        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.Equal(test.Bytes.Length, RtpWriter.Write(new byte[test.Bytes.Length], test.Header, test.Payload));
    }

    [Fact]
    public void Writer_rejects_headers_the_wire_cannot_carry()
    {
        var buffer = new byte[1500];
        Assert.Throws<ArgumentException>(() => RtpWriter.Write(buffer, new RtpHeader(128, 1, 1, 1), []));
        Assert.Throws<ArgumentException>(() => RtpWriter.Write(buffer, new RtpHeader(0, 1, 1, 1) { Csrcs = new uint[16] }, []));
        Assert.Throws<ArgumentException>(() => RtpWriter.Write(buffer, new RtpHeader(0, 1, 1, 1) { HasExtension = true, ExtensionData = new byte[3] }, []));
        Assert.Throws<ArgumentException>(() => RtpWriter.Write(buffer, new RtpHeader(0, 1, 1, 1) { ExtensionData = new byte[4] }, []));
    }

    [Fact]
    public void Writer_accepts_a_payload_already_placed_after_the_header()
    {
        RtpTestPacket test = RtpTestPackets.WithCsrcs;
        var buffer = new byte[1500];
        int headerLength = test.Bytes.Length - test.Payload.Length;

        // Payload built where a plain header would end; the CSRCs push it further along.
        test.Payload.CopyTo(buffer, RtpPacket.FixedHeaderLength);
        int written = RtpWriter.Write(buffer, test.Header, buffer.AsSpan(RtpPacket.FixedHeaderLength, test.Payload.Length));
        Assert.Equal(test.Bytes, buffer[..written]);
        Assert.Equal(headerLength + test.Payload.Length, written);
    }

    private static void AssertMatches(in RtpHeader header, byte[] payload, RtpPacket packet)
    {
        Assert.Equal(header.Marker, packet.Marker);
        Assert.Equal(header.PayloadType, packet.PayloadType);
        Assert.Equal(header.SequenceNumber, packet.SequenceNumber);
        Assert.Equal(header.Timestamp, packet.Timestamp);
        Assert.Equal(header.Ssrc, packet.Ssrc);
        Assert.Equal(header.Csrcs.Length, packet.CsrcCount);
        for (int i = 0; i < packet.CsrcCount; i++)
        {
            Assert.Equal(header.Csrcs.Span[i], packet.GetCsrc(i));
        }

        Assert.Equal(header.HasExtension, packet.HasExtension);
        Assert.Equal(header.ExtensionProfile, packet.ExtensionProfile);
        Assert.Equal(header.ExtensionData.ToArray(), packet.ExtensionData.ToArray());
        Assert.Equal(header.PaddingLength != 0, packet.HasPadding);
        Assert.Equal(header.PaddingLength, packet.PaddingLength);
        Assert.Equal(payload, packet.Payload.ToArray());
    }
}
