using BenchmarkDotNet.Attributes;
using CallTracking.Media.Jitter;

namespace CallTracking.Bench.Media;

/// <summary>The media worker's per-stream cost per 20 ms: one packet in, one frame out (160-byte G.711).</summary>
[MemoryDiagnoser]
public class JitterBufferBenchmarks
{
    private readonly byte[] _payload = new byte[160];
    private readonly byte[] _destination = new byte[1500];
    private JitterBuffer _buffer = null!;
    private long _frameTicks;
    private int _n;

    [GlobalSetup]
    public void Setup()
    {
        _buffer = new JitterBuffer(new JitterBufferOptions(), TimeProvider.System);
        _frameTicks = TimeProvider.System.TimestampFrequency / 50;
        for (int i = 0; i < 1000; i++)
        {
            InsertAndPop();
        }
    }

    [Benchmark]
    public int InsertAndPop()
    {
        int n = _n++;
        // A little alternating jitter keeps the estimator and depth control honest.
        long arrival = (n * _frameTicks) + ((n & 1) * (_frameTicks / 4));
        _buffer.Insert(unchecked((ushort)n), unchecked((uint)(n * 160)), 42, false, _payload, arrival);
        _buffer.Pop(_destination, out int length, out _);
        return length;
    }
}
