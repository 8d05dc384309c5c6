using CallTracking.Media.Rtp;
using CallTracking.Media.Rtp.Rtcp;

namespace CallTracking.Tests.Media.Rtp.Rtcp;

public sealed class RtcpTests
{
    private static readonly ReportBlock BlockA = new(0x11223344, 7, 3, 0x0001_03E8, 42, 0x4F1A2000, 98304);
    private static readonly ReportBlock BlockB = new(0x55667788, 0, -2, 0x0000_FFFF, 0, 0, 0);

    public static TheoryData<MalformedTestPacket<RtcpParseError>> Malformed => new(RtpTestPackets.MalformedRtcp);

    [Fact]
    public void Hand_written_sender_report_with_sdes_parses()
    {
        var reader = new RtcpCompoundReader(RtpTestPackets.SenderReportWithSdes);

        Assert.True(reader.MoveNext());
        Assert.Equal(RtcpPacketType.SenderReport, reader.Current.PacketType);
        Assert.Equal(52, reader.Current.Length);
        Assert.True(RtcpSenderReport.TryParse(reader.Current, out RtcpSenderReport sr, out _));
        Assert.Equal(RtpTestPackets.RemoteSsrc, sr.Ssrc);
        Assert.Equal(new SenderInfo(new NtpTimestamp(0xE94F1A2B, 0x80000000), 1_000_000, 500, 80_000), sr.SenderInfo);
        Assert.Equal(1, sr.ReportCount);
        Assert.Equal(new ReportBlock(0x11223344, 5, 12, 0x0001_03E8, 42, 0x4F1A2000, 0x0001_8000), sr.GetReportBlock(0));
        Assert.Equal(TimeSpan.FromSeconds(1.5), NtpTimestamp.FromShortFormat(sr.GetReportBlock(0).DelaySinceLastSenderReport));
        Assert.True(sr.ProfileExtension.IsEmpty);

        Assert.True(reader.MoveNext());
        Assert.True(RtcpSourceDescription.TryParse(reader.Current, out RtcpSourceDescription sdes, out _));
        Assert.True(sdes.TryGetCanonicalName(out uint ssrc, out ReadOnlySpan<byte> cname));
        Assert.Equal(RtpTestPackets.RemoteSsrc, ssrc);
        Assert.Equal(RtpTestPackets.AsteriskCname, cname.ToArray());

        Assert.False(reader.MoveNext());
        Assert.Equal(RtcpParseError.None, reader.Error);
        Assert.Equal(RtcpParseError.None, RtcpCompoundReader.Validate(RtpTestPackets.SenderReportWithSdes));
    }

    [Fact]
    public void Hand_written_receiver_report_sdes_bye_parses()
    {
        Assert.Equal(RtcpParseError.None, RtcpCompoundReader.Validate(RtpTestPackets.ReceiverReportSdesBye));
        var reader = new RtcpCompoundReader(RtpTestPackets.ReceiverReportSdesBye);
        Assert.True(reader.MoveNext());
        Assert.True(RtcpReceiverReport.TryParse(reader.Current, out RtcpReceiverReport rr, out _));
        Assert.Equal((0x0A0B0C0Du, 0), (rr.Ssrc, rr.ReportCount));

        Assert.True(reader.MoveNext());
        Assert.True(RtcpSourceDescription.TryParse(reader.Current, out RtcpSourceDescription sdes, out _));
        Assert.True(sdes.TryGetCanonicalName(out _, out ReadOnlySpan<byte> cname));
        Assert.True(cname.SequenceEqual("alice"u8));

        Assert.True(reader.MoveNext());
        Assert.True(RtcpBye.TryParse(reader.Current, out RtcpBye bye, out _));
        Assert.Equal(1, bye.SourceCount);
        Assert.Equal(0x0A0B0C0Du, bye.GetSsrc(0));
        Assert.True(bye.HasReason);
        Assert.True(bye.Reason.SequenceEqual("call ended"u8));
        Assert.False(reader.MoveNext());
        Assert.Equal(RtcpParseError.None, reader.Error);
    }

    [Fact]
    public void Sender_report_with_sdes_compound_round_trips()
    {
        var info = new SenderInfo(NtpTimestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)), 160_000, 1000, 160_000);
        ReportBlock[] blocks = [BlockA];
        var buffer = new byte[1500];
        int written = RtcpWriter.WriteSenderReportWithCanonicalName(buffer, 0xCAFEBABE, info, blocks, "ct@engine-1"u8);
        Assert.Equal(RtcpWriter.GetSenderReportLength(1) + RtcpWriter.GetSourceDescriptionLength(11), written);
        Assert.Equal(0, written % 4);
        ReadOnlySpan<byte> datagram = buffer.AsSpan(0, written);
        Assert.Equal(RtcpParseError.None, RtcpCompoundReader.Validate(datagram));
        Assert.True(RtpPacket.IsRtcp(datagram));

        var reader = new RtcpCompoundReader(datagram);
        Assert.True(reader.MoveNext());
        Assert.True(RtcpSenderReport.TryParse(reader.Current, out RtcpSenderReport sr, out _));
        Assert.Equal(0xCAFEBABEu, sr.Ssrc);
        Assert.Equal(info, sr.SenderInfo);
        Assert.Equal(BlockA, sr.GetReportBlock(0));
        Assert.True(reader.MoveNext());
        Assert.True(RtcpSourceDescription.TryParse(reader.Current, out RtcpSourceDescription sdes, out _));
        Assert.True(sdes.TryGetCanonicalName(out uint ssrc, out ReadOnlySpan<byte> cname));
        Assert.Equal(0xCAFEBABEu, ssrc);
        Assert.True(cname.SequenceEqual("ct@engine-1"u8));
        Assert.False(reader.MoveNext());
        Assert.Equal(RtcpParseError.None, reader.Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Sdes_cname_of_every_length_modulo_4_is_null_terminated_and_word_aligned(int extra)
    {
        byte[] cname = new byte[8 + extra];
        Array.Fill(cname, (byte)'x');
        var buffer = new byte[64];
        int written = RtcpWriter.WriteSourceDescription(buffer, 1, cname);
        Assert.Equal(0, written % 4);
        Assert.Equal(0, buffer[10 + cname.Length]);
        var reader = new RtcpCompoundReader(buffer.AsSpan(0, written));
        Assert.True(reader.MoveNext());
        Assert.True(RtcpSourceDescription.TryParse(reader.Current, out RtcpSourceDescription sdes, out _));
        Assert.True(sdes.TryGetCanonicalName(out _, out ReadOnlySpan<byte> parsed));
        Assert.Equal(cname, parsed.ToArray());
    }

    [Fact]
    public void Receiver_report_with_two_blocks_round_trips()
    {
        var buffer = new byte[1500];
        int written = RtcpWriter.WriteReceiverReportWithCanonicalName(buffer, 0x01020304, [BlockA, BlockB], "ct@engine-1"u8);
        Assert.Equal(RtcpParseError.None, RtcpCompoundReader.Validate(buffer.AsSpan(0, written)));

        var reader = new RtcpCompoundReader(buffer.AsSpan(0, written));
        Assert.True(reader.MoveNext());
        Assert.Equal(RtcpWriter.GetReceiverReportLength(2), reader.Current.Length);
        Assert.True(RtcpReceiverReport.TryParse(reader.Current, out RtcpReceiverReport rr, out _));
        Assert.Equal(0x01020304u, rr.Ssrc);
        Assert.Equal(2, rr.ReportCount);
        Assert.Equal(BlockA, rr.GetReportBlock(0));
        Assert.Equal(BlockB, rr.GetReportBlock(1));
        Assert.Equal(-2, rr.GetReportBlock(1).CumulativeLost);
    }

    [Fact]
    public void Bye_with_reason_round_trips_and_without_reason_has_none()
    {
        var buffer = new byte[64];
        int written = RtcpWriter.WriteBye(buffer, [0x01020304, 0x05060708], "hung up"u8);
        Assert.Equal(0, written % 4);
        var reader = new RtcpCompoundReader(buffer.AsSpan(0, written));
        Assert.True(reader.MoveNext());
        Assert.True(RtcpBye.TryParse(reader.Current, out RtcpBye bye, out _));
        Assert.Equal(2, bye.SourceCount);
        Assert.Equal(0x05060708u, bye.GetSsrc(1));
        Assert.True(bye.Reason.SequenceEqual("hung up"u8));

        written = RtcpWriter.WriteBye(buffer, [0x01020304], default);
        Assert.Equal(8, written);
        reader = new RtcpCompoundReader(buffer.AsSpan(0, written));
        Assert.True(reader.MoveNext());
        Assert.True(RtcpBye.TryParse(reader.Current, out bye, out _));
        Assert.False(bye.HasReason);
        Assert.True(bye.Reason.IsEmpty);
    }

    [Fact]
    public void Cumulative_loss_is_clamped_to_24_bits_signed()
    {
        var buffer = new byte[ReportBlock.Length];
        (BlockA with { CumulativeLost = 50_000_000 }).WriteTo(buffer);
        Assert.Equal(ReportBlock.MaxCumulativeLost, ReportBlock.Read(buffer).CumulativeLost);
        (BlockA with { CumulativeLost = -50_000_000 }).WriteTo(buffer);
        Assert.Equal(ReportBlock.MinCumulativeLost, ReportBlock.Read(buffer).CumulativeLost);
        (BlockA with { CumulativeLost = -1 }).WriteTo(buffer);
        Assert.Equal(new byte[] { 0x07, 0xFF, 0xFF, 0xFF }, buffer[4..8]);
    }

    [Fact]
    public void Writers_return_minus_one_when_the_buffer_is_short()
    {
        var info = new SenderInfo(default, 0, 0, 0);
        int needed = RtcpWriter.GetSenderReportLength(1) + RtcpWriter.GetSourceDescriptionLength(4);
        Assert.Equal(-1, RtcpWriter.WriteSenderReportWithCanonicalName(new byte[needed - 1], 1, info, [BlockA], "abcd"u8));
        Assert.Equal(needed, RtcpWriter.WriteSenderReportWithCanonicalName(new byte[needed], 1, info, [BlockA], "abcd"u8));
        Assert.Equal(-1, RtcpWriter.WriteReceiverReport(new byte[31], 1, [BlockA]));
        Assert.Equal(-1, RtcpWriter.WriteBye(new byte[11], [1], "x"u8));
        Assert.Throws<ArgumentException>(() => RtcpWriter.WriteSourceDescription(new byte[600], 1, new byte[256]));
        Assert.Throws<ArgumentException>(() => RtcpWriter.WriteReceiverReport(new byte[2000], 1, new ReportBlock[32]));
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_rtcp_is_rejected_with_its_reason(MalformedTestPacket<RtcpParseError> test) =>
        Assert.Equal(test.Error, RtpTestPackets.ParseEverything(test.Bytes, out _));

    [Fact]
    public void Every_truncated_prefix_of_a_compound_fails_unless_it_ends_on_a_packet_boundary()
    {
        foreach (byte[] datagram in RtpTestPackets.ValidRtcp)
        {
            var boundaries = new HashSet<int> { 0 };
            var reader = new RtcpCompoundReader(datagram);
            while (reader.MoveNext())
            {
                boundaries.Add(reader.Consumed);
            }

            for (int length = 0; length < datagram.Length; length++)
            {
                RtcpParseError error = RtpTestPackets.ParseEverything(datagram.AsSpan(0, length), out _);
                Assert.Equal(boundaries.Contains(length), error == RtcpParseError.None);
                Assert.Equal(length == 0 || !boundaries.Contains(length), RtcpCompoundReader.Validate(datagram.AsSpan(0, length)) != RtcpParseError.None);
            }
        }
    }

    [Fact]
    public void Validate_rejects_a_compound_that_does_not_start_with_a_report()
    {
        var buffer = new byte[64];
        int written = RtcpWriter.WriteBye(buffer, [1], default);
        Assert.Equal(RtcpParseError.WrongType, RtcpCompoundReader.Validate(buffer.AsSpan(0, written)));
    }

    [Fact]
    public void Ntp_timestamp_converts_both_ways_and_gives_the_middle_32_bits()
    {
        var time = new DateTimeOffset(2026, 11, 23, 10, 30, 15, 250, TimeSpan.Zero);
        NtpTimestamp ntp = NtpTimestamp.FromDateTimeOffset(time);
        Assert.Equal(0x40000000u, ntp.Fraction); // .25 s
        Assert.Equal(time, ntp.ToDateTimeOffset());
        Assert.Equal((ntp.Seconds << 16) | 0x4000u, ntp.Middle32);

        // 1900-01-01 + 2^31 s is 1968-01-20 03:14:08; the era rule keeps 2036+ after it.
        var after2036 = new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(after2036, NtpTimestamp.FromDateTimeOffset(after2036).ToDateTimeOffset());

        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(time);
        Assert.Equal(ntp, NtpTimestamp.FromTimeProvider(clock));
    }

    [Fact]
    public void Round_trip_time_is_arrival_minus_lsr_minus_dlsr()
    {
        var sent = NtpTimestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var back = NtpTimestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 23, 10, 0, 2, TimeSpan.Zero));
        uint dlsr = NtpTimestamp.ToShortFormat(TimeSpan.FromMilliseconds(1900));
        TimeSpan rtt = NtpTimestamp.RoundTripTime(back, sent.Middle32, dlsr);
        Assert.InRange(rtt.TotalMilliseconds, 99.9, 100.1);
        Assert.Equal(TimeSpan.Zero, NtpTimestamp.RoundTripTime(back, 0, 0));
    }
}
