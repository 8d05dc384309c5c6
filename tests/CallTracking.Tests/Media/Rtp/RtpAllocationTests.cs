using CallTracking.Media.Rtp;
using CallTracking.Media.Rtp.Rtcp;

namespace CallTracking.Tests.Media.Rtp;

public sealed class RtpAllocationTests
{
    [Fact]
    public void Parsing_packets_feeding_statistics_and_writing_reports_allocates_nothing()
    {
        var stats = new RtpReceiveStatistics(RtpTestPackets.Ssrc);
        var buffer = new byte[1500];
        var blocks = new ReportBlock[1];
        byte[][] packets = RtpTestPackets.AllValid.Select(p => p.Bytes).ToArray();
        long sink = Run(stats, packets, buffer, blocks, 0, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        sink += Run(stats, packets, buffer, blocks, 100, 1000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sink);
        Assert.True(stats.IsValid);
    }

    private static long Run(RtpReceiveStatistics stats, byte[][] packets, byte[] buffer, ReportBlock[] blocks, int start, int count)
    {
        long sink = 0;
        for (int i = start; i < start + count; i++)
        {
            if (!RtpPacket.TryParse(packets[i % packets.Length], out RtpPacket packet))
            {
                continue;
            }

            // Sequence numbers from the loop so the statistics see a real stream.
            RtpSequenceStatus status = stats.Receive((ushort)i, (uint)(i * 160), packet.Payload.Length, 8000, TimeSpan.FromMilliseconds(20 * i));
            sink += (int)status + packet.Ssrc + packet.CsrcCount;
            if (i % 250 == 0)
            {
                blocks[0] = stats.CreateReportBlock(TimeSpan.FromMilliseconds(20 * i));
                int written = RtcpWriter.WriteReceiverReportWithCanonicalName(buffer, 1, blocks, "ct@engine-1"u8);
                sink += RtpTestPackets.ParseEverything(buffer.AsSpan(0, written), out long checksum) == RtcpParseError.None ? checksum : 0;
                sink += stats.GetSnapshot().Packets;
            }
        }

        return sink;
    }
}
