using BenchmarkDotNet.Attributes;
using CallTracking.Media.Rtp;
using CallTracking.Media.Rtp.Rtcp;
using CallTracking.Tests.Media.Rtp;

namespace CallTracking.Bench.Media;

/// <summary>The per-packet media path: parse an RTP packet, write one, account it in the receive statistics.</summary>
[MemoryDiagnoser]
public class RtpBenchmarks
{
    private readonly byte[] _plain = RtpTestPackets.Plain.Bytes;
    private readonly byte[] _allCombined = RtpTestPackets.AllCombined.Bytes;
    private readonly byte[] _rtcp = RtpTestPackets.SenderReportWithSdes;
    private readonly byte[] _output = new byte[1500];
    private readonly RtpReceiveStatistics _stats = new(RtpTestPackets.Ssrc);
    private RtpHeader _header = RtpTestPackets.Plain.Header;
    private int _sequence;

    [Benchmark(Baseline = true)]
    public long ParsePcmuPacket()
    {
        RtpPacket.TryParse(_plain, out RtpPacket packet);
        return packet.SequenceNumber + packet.Timestamp + packet.Ssrc + packet.Payload.Length;
    }

    [Benchmark]
    public long ParseAllCombinedPacket()
    {
        RtpPacket.TryParse(_allCombined, out RtpPacket packet);
        return packet.SequenceNumber + packet.GetCsrc(2) + packet.ExtensionData.Length + packet.Payload.Length;
    }

    [Benchmark]
    public int WritePcmuPacket()
    {
        _header = _header with { SequenceNumber = (ushort)(_header.SequenceNumber + 1), Timestamp = _header.Timestamp + 160 };
        return RtpWriter.Write(_output, _header, RtpTestPackets.PcmuPayload);
    }

    [Benchmark]
    public RtpSequenceStatus FeedStatistics()
    {
        int i = _sequence++;
        return _stats.Receive((ushort)i, (uint)(i * 160), 160, 8000, TimeSpan.FromTicks(i * 200_000L));
    }

    [Benchmark]
    public long ParseRtcpSenderReportWithSdes() =>
        RtpTestPackets.ParseEverything(_rtcp, out long checksum) == RtcpParseError.None ? checksum : -1;
}
