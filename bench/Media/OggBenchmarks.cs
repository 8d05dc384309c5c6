using BenchmarkDotNet.Attributes;
using CallTracking.Media.Recording;

namespace CallTracking.Bench.Media;

/// <summary>The recording container path: one second of 20 ms Opus packets into a page, and the page CRC.</summary>
[MemoryDiagnoser]
public class OggBenchmarks
{
    private readonly byte[] _packet = new byte[60];
    private readonly byte[] _page = new byte[4096];
    private readonly MemoryStream _output = new(new byte[16 * 1024], writable: true);
    private OggPageWriter _writer = null!;
    private long _granule;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_packet);
        new Random(2).NextBytes(_page);
        _writer = new OggPageWriter(_output, 0xCA11);
    }

    /// <summary>50 packets of 60 bytes (a second of low-rate Opus) and the page flushed to a reused stream.</summary>
    [Benchmark]
    public long OggPageWrite_50x60B_AndFlush()
    {
        _output.Position = 0;
        for (int i = 0; i < 50; i++)
        {
            _granule += 960;
            _writer.WritePacket(_packet, _granule);
        }

        _writer.Flush();
        return _output.Position;
    }

    [Benchmark]
    public uint OggCrc_4KiB() => OggCrc.Compute(_page);
}
