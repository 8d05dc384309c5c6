using CallTracking.Media.Rtp;

namespace CallTracking.Tests.Media.Rtp;

public sealed class RtpMutationTests
{
    private const int Iterations = 25_000;

    [Fact]
    public void Damaged_rtp_and_rtcp_never_throw_and_allocate_nothing()
    {
        var random = new Random(20261123);
        var inputs = new byte[Iterations][];
        for (int i = 0; i < Iterations; i++)
        {
            byte[] source = (i & 1) == 0
                ? RtpTestPackets.AllValid[random.Next(RtpTestPackets.AllValid.Count)].Bytes
                : RtpTestPackets.ValidRtcp[random.Next(RtpTestPackets.ValidRtcp.Count)];
            inputs[i] = Damage(source, random);
        }

        int rtpValid = 0;
        int rtcpValid = 0;
        long sink = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (byte[] input in inputs)
        {
            if (RtpPacket.TryParse(input, out RtpPacket packet))
            {
                rtpValid++;
                sink += packet.SequenceNumber + packet.Timestamp + packet.Ssrc + packet.PayloadType + packet.ExtensionProfile
                    + packet.ExtensionData.Length + packet.PaddingLength + packet.Payload.Length + (packet.Marker ? 1 : 0);
                for (int c = 0; c < packet.CsrcCount; c++)
                {
                    sink += packet.GetCsrc(c);
                }
            }

            if (RtpTestPackets.ParseEverything(input, out long checksum) == global::CallTracking.Media.Rtp.Rtcp.RtcpParseError.None)
            {
                rtcpValid++;
            }

            sink += checksum;
            _ = RtpPacket.IsRtcp(input);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.InRange(rtpValid, 1000, Iterations - 1000);
        Assert.InRange(rtcpValid, 1000, Iterations - 1000);
        Assert.NotEqual(0, sink);
    }

    private static byte[] Damage(byte[] source, Random random)
    {
        byte[] bytes = (byte[])source.Clone();
        int length = bytes.Length;
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(Math.Min(length, 64)); // mostly the headers, where the lengths are
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    bytes[at] = 0xFF;
                    break;
                case 3:
                    bytes[at] = 0x00;
                    break;
                case 4:
                    length = random.Next(length + 1);
                    break;
                default:
                    bytes[length - 1] = (byte)random.Next(256); // the padding count
                    break;
            }

            if (length == 0)
            {
                break;
            }
        }

        return bytes[..length];
    }
}
