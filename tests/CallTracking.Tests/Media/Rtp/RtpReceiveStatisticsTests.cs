using CallTracking.Media.Rtp;
using CallTracking.Media.Rtp.Rtcp;

namespace CallTracking.Tests.Media.Rtp;

public sealed class RtpReceiveStatisticsTests
{
    private const int ClockRate = 8000;
    private const int SamplesPerPacket = 160;
    private static readonly TimeSpan Ptime = TimeSpan.FromMilliseconds(20);

    private readonly RtpReceiveStatistics _stats = new(RtpTestPackets.Ssrc);

    [Fact]
    public void New_source_needs_min_sequential_packets_in_sequence()
    {
        Assert.Equal(RtpSequenceStatus.Probation, Feed(1000));
        Assert.False(_stats.IsValid);
        Assert.Equal(RtpSequenceStatus.Probation, Feed(1005)); // out of sequence: probation starts over
        Assert.False(_stats.IsValid);
        Assert.Equal(RtpSequenceStatus.Valid, Feed(1006));
        Assert.True(_stats.IsValid);
        Assert.Equal(RtpReceiveStatistics.MinSequential, 2);
        Assert.Equal(1, _stats.Expected);
        Assert.Equal(1, _stats.Received);
        Assert.Equal(0, _stats.CumulativeLost);
    }

    [Fact]
    public void Sequence_wrap_keeps_the_extended_highest_increasing()
    {
        uint previous = 0;
        ushort seq = 65500;
        for (int i = 0; i < 100; i++, seq++)
        {
            Feed(seq, i);
            if (i > 0)
            {
                Assert.True(_stats.ExtendedHighestSequenceNumber > previous, $"at seq {seq}");
                previous = _stats.ExtendedHighestSequenceNumber;
            }
        }

        Assert.Equal(0x0001_0000u + 63, _stats.ExtendedHighestSequenceNumber);
        Assert.Equal(99, _stats.Expected);
        Assert.Equal(0, _stats.CumulativeLost);
        Assert.Equal(0x0001_0000u + 63, _stats.CreateReportBlock(TimeSpan.Zero).ExtendedHighestSequenceNumber);
    }

    [Fact]
    public void Three_lost_in_a_hundred_gives_cumulative_and_fraction_lost()
    {
        for (int i = 0; i < 100; i++)
        {
            if (i is 17 or 50 or 83)
            {
                continue;
            }

            Feed((ushort)(2000 + i), i);
        }

        // The first packet was the probation packet, so the count starts at seq 2001.
        Assert.Equal(99, _stats.Expected);
        Assert.Equal(3, _stats.CumulativeLost);
        ReportBlock block = _stats.CreateReportBlock(TimeSpan.FromSeconds(2));
        Assert.Equal(3, block.CumulativeLost);
        Assert.Equal((3 << 8) / 99, block.FractionLost); // 7, i.e. ≈ 3/100 × 256
        Assert.Equal(2099u, block.ExtendedHighestSequenceNumber);

        RtpReceiveSnapshot snapshot = _stats.GetSnapshot();
        Assert.Equal(3, snapshot.Lost);
        Assert.Equal(97, snapshot.Packets);
        Assert.Equal(97 * SamplesPerPacket, snapshot.Bytes);
        Assert.Equal(300.0 / 99, snapshot.LossPercent, 6);

        // The next interval has no loss: the fraction is per interval, the cumulative count stays.
        for (int i = 100; i < 150; i++)
        {
            Feed((ushort)(2000 + i), i);
        }

        block = _stats.CreateReportBlock(TimeSpan.FromSeconds(3));
        Assert.Equal(0, block.FractionLost);
        Assert.Equal(3, block.CumulativeLost);
    }

    [Fact]
    public void Duplicates_are_counted_and_not_lost()
    {
        for (int i = 0; i < 50; i++)
        {
            Assert.NotEqual(RtpSequenceStatus.Duplicate, Feed((ushort)(3000 + i), i));
            if (i % 10 == 5)
            {
                Assert.Equal(RtpSequenceStatus.Duplicate, Feed((ushort)(3000 + i), i));
            }
        }

        Assert.Equal(RtpSequenceStatus.Duplicate, Feed(3040, 40)); // older, still in the window
        Assert.Equal(6, _stats.Duplicates);
        Assert.Equal(0, _stats.Reordered);

        // RFC 3550 A.3 counts duplicates as received, so RTCP's cumulative loss goes negative…
        Assert.Equal(-6, _stats.CumulativeLost);
        Assert.Equal(-6, _stats.CreateReportBlock(TimeSpan.Zero).CumulativeLost);

        // …while the call record's loss does not.
        RtpReceiveSnapshot snapshot = _stats.GetSnapshot();
        Assert.Equal(0, snapshot.Lost);
        Assert.Equal(6, snapshot.Duplicates);
    }

    [Fact]
    public void Reordered_packets_are_counted_and_fill_their_gap()
    {
        foreach (ushort seq in new ushort[] { 10, 11, 12, 14, 13, 15, 18, 16, 17, 19 })
        {
            Feed(seq, seq);
        }

        Assert.Equal(3, _stats.Reordered);
        Assert.Equal(0, _stats.Duplicates);
        Assert.Equal(0, _stats.CumulativeLost);
        Assert.Equal(19u, _stats.ExtendedHighestSequenceNumber);
        Assert.Equal(RtpSequenceStatus.Duplicate, Feed(13, 13));
    }

    [Fact]
    public void Reordering_across_the_wrap_is_reordering_not_a_restart()
    {
        Feed(65533, 0);
        Feed(65534, 1);
        Feed(0, 3);
        Assert.Equal(RtpSequenceStatus.Reordered, Feed(65535, 2));
        Feed(1, 4);
        Assert.Equal(0, _stats.CumulativeLost);
        Assert.Equal(0x0001_0001u, _stats.ExtendedHighestSequenceNumber);
    }

    [Fact]
    public void Jitter_is_zero_for_constant_transit()
    {
        for (int i = 0; i < 200; i++)
        {
            _stats.Receive((ushort)i, (uint)(5000 + (i * SamplesPerPacket)), SamplesPerPacket, ClockRate, TimeSpan.FromMilliseconds(37) + (i * Ptime));
        }

        Assert.Equal(0u, _stats.Jitter);
        Assert.Equal(TimeSpan.Zero, _stats.JitterTime);
    }

    [Fact]
    public void Jitter_with_alternating_transit_follows_the_rfc_estimator()
    {
        const int packets = 200;
        for (int i = 0; i < packets; i++)
        {
            TimeSpan wobble = TimeSpan.FromMilliseconds(i % 2 == 0 ? 10 : -10);
            _stats.Receive((ushort)i, (uint)(i * SamplesPerPacket), SamplesPerPacket, ClockRate, TimeSpan.FromSeconds(1) + (i * Ptime) + wobble);
        }

        // RFC 3550 A.8: J += (|D| − J) / 16 with |D| = 20 ms = 160 units per step. Packet 0 is
        // the probation packet and packet 1 sets the first transit, so 198 steps follow.
        double expected = 0;
        for (int step = 0; step < packets - 2; step++)
        {
            expected += (160 - expected) / 16;
        }

        Assert.InRange(expected, 159.9, 160.0);
        Assert.Equal((uint)expected, _stats.Jitter);
        Assert.Equal(expected / ClockRate * 1000, _stats.JitterTime.TotalMilliseconds, 3);
        Assert.Equal(expected / ClockRate * 1000, _stats.GetSnapshot().JitterMilliseconds, 3);
    }

    [Fact]
    public void A_jump_beyond_max_dropout_restarts_only_when_the_next_packet_follows_it()
    {
        for (int i = 0; i < 20; i++)
        {
            Feed((ushort)(100 + i), i);
        }

        // A stray far ahead is dropped and the stream goes on.
        Assert.Equal(RtpSequenceStatus.BadSequence, Feed(40000, 20));
        Assert.Equal(RtpSequenceStatus.Valid, Feed(120, 20));
        Assert.Equal(0, _stats.Restarts);

        // Two in sequence after the jump: the sender restarted its sequence.
        Assert.Equal(RtpSequenceStatus.BadSequence, Feed(10000, 21));
        Assert.Equal(RtpSequenceStatus.Valid, Feed(10001, 22));
        Assert.Equal(1, _stats.Restarts);
        Assert.Equal(1, _stats.Expected);
        Assert.Equal(RtpSequenceStatus.Valid, Feed(10002, 23));
        Assert.Equal(0, _stats.CumulativeLost);
        Assert.Equal(10002u, _stats.ExtendedHighestSequenceNumber);

        // The call record keeps the packets from before the restart.
        Assert.Equal(20 + 2, _stats.GetSnapshot().Expected);
    }

    [Fact]
    public void Gap_below_max_dropout_is_loss_not_a_restart()
    {
        Feed(1, 0);
        Feed(2, 1);
        Assert.Equal(RtpSequenceStatus.Valid, Feed((ushort)(2 + RtpReceiveStatistics.MaxDropout - 1), 2));
        Assert.Equal(RtpReceiveStatistics.MaxDropout - 2, _stats.CumulativeLost);
    }

    [Fact]
    public void Report_block_carries_lsr_and_dlsr_of_the_last_sender_report()
    {
        Feed(1, 0);
        Feed(2, 1);
        Assert.Equal((0u, 0u), (_stats.CreateReportBlock(TimeSpan.FromSeconds(1)).LastSenderReport, _stats.CreateReportBlock(TimeSpan.FromSeconds(1)).DelaySinceLastSenderReport));

        var ntp = new NtpTimestamp(0xE94F1A2B, 0x80000000);
        _stats.ReceiveSenderReport(ntp, TimeSpan.FromSeconds(10));
        ReportBlock block = _stats.CreateReportBlock(TimeSpan.FromSeconds(11.5));
        Assert.Equal(RtpTestPackets.Ssrc, block.Ssrc);
        Assert.Equal(0x1A2B8000u, block.LastSenderReport);
        Assert.Equal(98304u, block.DelaySinceLastSenderReport); // 1.5 s × 65536
    }

    [Fact]
    public void Late_packets_are_counted_for_the_snapshot()
    {
        Feed(1, 0);
        _stats.MarkLate();
        _stats.MarkLate();
        Assert.Equal(2, _stats.GetSnapshot().Late);
    }

    [Fact]
    public void Reset_for_a_new_ssrc_forgets_everything_and_starts_probation()
    {
        for (int i = 0; i < 10; i++)
        {
            Feed((ushort)(500 + i), i);
        }

        _stats.MarkLate();
        _stats.Reset(0x12345678);
        Assert.Equal(0x12345678u, _stats.Ssrc);
        Assert.False(_stats.IsValid);
        Assert.Equal(new RtpReceiveSnapshot(0x12345678, 0, 0, 0, 0, 0, 0, 0, 0, 0), _stats.GetSnapshot());
        Assert.Equal(RtpSequenceStatus.Probation, Feed(7, 0));
        Assert.Equal(RtpSequenceStatus.Valid, Feed(8, 1));
    }

    [Fact]
    public void Send_statistics_count_and_carry_the_timestamp_to_the_report_instant()
    {
        var send = new RtpSendStatistics(0xCAFEBABE, ClockRate);
        for (int i = 0; i < 50; i++)
        {
            send.PacketSent((uint)(1000 + (i * SamplesPerPacket)), SamplesPerPacket, i * Ptime);
        }

        var ntp = new NtpTimestamp(1, 2);
        SenderInfo info = send.CreateSenderInfo(ntp, (49 * Ptime) + TimeSpan.FromMilliseconds(5));
        Assert.Equal(new SenderInfo(ntp, 1000 + (49 * 160) + 40, 50, 50 * 160), info);

        send.Reset(7);
        Assert.Equal((7u, 0L, 0L), (send.Ssrc, send.PacketCount, send.OctetCount));
    }

    private RtpSequenceStatus Feed(ushort seq, int index = 0) =>
        _stats.Receive(seq, (uint)(index * SamplesPerPacket), SamplesPerPacket, ClockRate, TimeSpan.FromSeconds(1) + (index * Ptime));
}
