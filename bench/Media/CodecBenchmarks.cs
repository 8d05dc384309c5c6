using BenchmarkDotNet.Attributes;
using CallTracking.Media.Codecs;
using CallTracking.Media.Codecs.Opus;
using CallTracking.Tests.Media.Codecs;

namespace CallTracking.Bench.Media;

/// <summary>
/// The per-frame codec work of a media worker: one 20 ms frame each. Opus encoders
/// walk through one second of a voice-like signal so their state is realistic.
/// "Opus streams per core in real time" = 20 ms / encode time.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks : IDisposable
{
    private const int FramesPerSecond = 50;

    private readonly byte[] _g711 = new byte[160];
    private readonly short[] _pcm8k = new short[160];
    private readonly byte[] _packet = new byte[1275];
    private readonly short[] _decoded = new short[320];

    private short[] _voice8k = [];
    private short[] _voice16kMono = [];
    private short[] _voice8kStereo = [];
    private byte[][] _packets16kMono = [];
    private OpusEncoder? _encoder16kMono;
    private OpusEncoder? _encoder8kStereo;
    private OpusDecoder? _decoder16kMono;
    private int _frame;

    [GlobalSetup]
    public void Setup()
    {
        _voice8k = CodecTestSignals.VoiceLike(8000, 1, 8000);
        _voice16kMono = CodecTestSignals.VoiceLike(16000, 1, 16000);
        _voice8kStereo = CodecTestSignals.VoiceLike(8000, 2, 8000);
        Array.Copy(_voice8k, _pcm8k, 160);
        G711.MuLawEncode(_pcm8k, _g711);

        _encoder16kMono = new OpusEncoder(16000, 1, OpusApplication.Voip, 24000, complexity: 5);
        _encoder8kStereo = new OpusEncoder(8000, 2, OpusApplication.Voip, 32000, complexity: 5);
        _decoder16kMono = new OpusDecoder(16000, 1);

        using var encoder = new OpusEncoder(16000, 1, OpusApplication.Voip, 24000, complexity: 5);
        _packets16kMono = new byte[FramesPerSecond][];
        for (var frame = 0; frame < FramesPerSecond; frame++)
        {
            var length = encoder.Encode(_voice16kMono.AsSpan(frame * 320, 320), 320, _packet);
            _packets16kMono[frame] = _packet.AsSpan(0, length).ToArray();
        }
    }

    [Benchmark]
    public short MuLawDecode_20ms()
    {
        G711.MuLawDecode(_g711, _pcm8k);
        return _pcm8k[159];
    }

    [Benchmark]
    public byte MuLawEncode_20ms()
    {
        G711.MuLawEncode(_pcm8k, _g711);
        return _g711[159];
    }

    [Benchmark]
    public short ALawDecode_20ms()
    {
        G711.ALawDecode(_g711, _pcm8k);
        return _pcm8k[159];
    }

    [Benchmark]
    public byte ALawEncode_20ms()
    {
        G711.ALawEncode(_pcm8k, _g711);
        return _g711[159];
    }

    [Benchmark]
    public int OpusEncode_16kHz_Mono_24kbps_C5_20ms()
    {
        var frame = NextFrame();
        return _encoder16kMono!.Encode(_voice16kMono.AsSpan(frame * 320, 320), 320, _packet);
    }

    [Benchmark]
    public int OpusEncode_8kHz_Stereo_32kbps_C5_20ms()
    {
        var frame = NextFrame();
        return _encoder8kStereo!.Encode(_voice8kStereo.AsSpan(frame * 320, 320), 160, _packet);
    }

    [Benchmark]
    public int OpusDecode_16kHz_Mono_20ms() => _decoder16kMono!.Decode(_packets16kMono[NextFrame()], _decoded, 320);

    public void Dispose()
    {
        _encoder16kMono?.Dispose();
        _encoder8kStereo?.Dispose();
        _decoder16kMono?.Dispose();
        GC.SuppressFinalize(this);
    }

    private int NextFrame()
    {
        var frame = _frame;
        _frame = frame + 1 == FramesPerSecond ? 0 : frame + 1;
        return frame;
    }
}
