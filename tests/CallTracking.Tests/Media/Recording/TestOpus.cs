using System.Runtime.InteropServices;
using CallTracking.Media.Recording;

namespace CallTracking.Tests.Media.Recording;

/// <summary>
/// Test-only scaffolding: the smallest libopus binding that makes real Opus
/// packets, so the files under test are real Ogg Opus. The product binding lives
/// elsewhere and is adapted to <see cref="IOpusFrameEncoder"/> by the engine.
/// </summary>
internal static unsafe partial class TestOpusNative
{
    private const string Library = "libopus.so.0";

    public const int ApplicationVoip = 2048;
    public const int SetBitrateRequest = 4002;
    public const int SetComplexityRequest = 4010;
    public const int GetLookaheadRequest = 4027;

    [LibraryImport(Library, EntryPoint = "opus_encoder_create")]
    public static partial IntPtr EncoderCreate(int sampleRate, int channels, int application, out int error);

    [LibraryImport(Library, EntryPoint = "opus_encode")]
    public static partial int Encode(IntPtr encoder, short* pcm, int frameSize, byte* data, int maxDataBytes);

    [LibraryImport(Library, EntryPoint = "opus_encoder_destroy")]
    public static partial void EncoderDestroy(IntPtr encoder);

    // opus_encoder_ctl is variadic: one fixed signature per request used.
    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtlGet(IntPtr encoder, int request, out int value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtlSet(IntPtr encoder, int request, int value);
}

/// <summary>A libopus encoder behind the recorder's interface, for tests.</summary>
internal sealed unsafe class TestOpusEncoder : IOpusFrameEncoder, IDisposable
{
    private IntPtr _encoder;

    public TestOpusEncoder(int sampleRate = 8000, int channels = 2, int bitrate = 32_000, int complexity = 5)
    {
        _encoder = TestOpusNative.EncoderCreate(sampleRate, channels, TestOpusNative.ApplicationVoip, out int error);
        if (_encoder == IntPtr.Zero || error != 0)
        {
            throw new InvalidOperationException($"opus_encoder_create failed: {error}");
        }

        TestOpusNative.EncoderCtlSet(_encoder, TestOpusNative.SetBitrateRequest, bitrate);
        TestOpusNative.EncoderCtlSet(_encoder, TestOpusNative.SetComplexityRequest, complexity);
        TestOpusNative.EncoderCtlGet(_encoder, TestOpusNative.GetLookaheadRequest, out int lookahead);
        Lookahead = lookahead;
        InputSampleRate = sampleRate;
        Channels = channels;
    }

    public int InputSampleRate { get; }

    public int Channels { get; }

    public int Lookahead { get; }

    public int Encode(ReadOnlySpan<short> interleavedPcm, int frameSizePerChannel, Span<byte> packet)
    {
        fixed (short* pcm = interleavedPcm)
        fixed (byte* data = packet)
        {
            return TestOpusNative.Encode(_encoder, pcm, frameSizePerChannel, data, packet.Length);
        }
    }

    public void Dispose()
    {
        if (_encoder != IntPtr.Zero)
        {
            TestOpusNative.EncoderDestroy(_encoder);
            _encoder = IntPtr.Zero;
        }
    }
}
