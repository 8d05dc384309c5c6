using CallTracking.Media.Native;

namespace CallTracking.Media.Codecs.Opus;

/// <summary>
/// One libopus encoder. Not thread-safe: one owner (a media worker) calls it.
/// <see cref="Encode"/> allocates nothing.
/// </summary>
public sealed class OpusEncoder : IDisposable
{
    // opus_defines.h request numbers and values.
    private const int SetBitrateRequest = 4002;
    private const int SetComplexityRequest = 4010;
    private const int SetInbandFecRequest = 4012;
    private const int SetPacketLossPercRequest = 4014;
    private const int SetSignalRequest = 4024;
    private const int GetLookaheadRequest = 4027;
    private const int SignalVoice = 3001;

    private readonly OpusEncoderHandle _handle;

    /// <param name="sampleRate">8000, 12000, 16000, 24000 or 48000.</param>
    /// <param name="channels">1 or 2; samples are interleaved.</param>
    /// <param name="application">Coding mode; <see cref="OpusApplication.Voip"/> also tells libopus the signal is voice.</param>
    /// <param name="bitrate">Bits per second (500–512000).</param>
    /// <param name="complexity">0–10; 5 is about twice as fast as 10 with little loss for speech.</param>
    /// <exception cref="OpusException">libopus rejected an argument.</exception>
    /// <exception cref="NativeLibraryMissingException">libopus is not installed.</exception>
    public OpusEncoder(int sampleRate, int channels, OpusApplication application, int bitrate, int complexity)
    {
        NativeLibraries.EnsureResolverRegistered();
        int error;
        try
        {
            _handle = OpusNative.opus_encoder_create(sampleRate, channels, (int)application, out error);
        }
        catch (DllNotFoundException exception)
        {
            OpusLibrary.ThrowMissing(exception);
            throw;
        }

        if (error != 0 || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new OpusException(error, "opus_encoder_create");
        }

        try
        {
            Set(SetBitrateRequest, bitrate, "OPUS_SET_BITRATE");
            Set(SetComplexityRequest, complexity, "OPUS_SET_COMPLEXITY");
            if (application == OpusApplication.Voip)
            {
                Set(SetSignalRequest, SignalVoice, "OPUS_SET_SIGNAL");
            }

            Lookahead = Get(GetLookaheadRequest, "OPUS_GET_LOOKAHEAD");
        }
        catch
        {
            _handle.Dispose();
            throw;
        }

        SampleRate = sampleRate;
        Channels = channels;
        Bitrate = bitrate;
        Complexity = complexity;
    }

    public int SampleRate { get; }

    public int Channels { get; }

    public int Bitrate { get; }

    public int Complexity { get; }

    /// <summary>
    /// Encoder delay in samples per channel at <see cref="SampleRate"/>: decoded audio
    /// lags the input by this much (OPUS_GET_LOOKAHEAD; Ogg Opus pre-skip, RFC 7845 §4.2,
    /// is this value at 48 kHz).
    /// </summary>
    public int Lookahead { get; }

    /// <summary>True once disposed: the native encoder is destroyed.</summary>
    public bool IsClosed => _handle.IsClosed;

    /// <summary>Turns in-band forward error correction on for an expected loss rate (0 = off).</summary>
    public void SetExpectedPacketLoss(int percent)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        Set(SetPacketLossPercRequest, percent, "OPUS_SET_PACKET_LOSS_PERC");
        Set(SetInbandFecRequest, percent > 0 ? 1 : 0, "OPUS_SET_INBAND_FEC");
    }

    /// <summary>Encodes one frame.</summary>
    /// <param name="pcm">Interleaved samples, at least <paramref name="frameSize"/> × <see cref="Channels"/>.</param>
    /// <param name="frameSize">Samples per channel: 2.5, 5, 10, 20, 40 or 60 ms at <see cref="SampleRate"/>.</param>
    /// <param name="output">Room for the packet (1275 bytes always suffice for one frame).</param>
    /// <returns>Bytes written to <paramref name="output"/>.</returns>
    /// <exception cref="OpusException">libopus rejected the call (e.g. a frame size it does not support).</exception>
    public unsafe int Encode(ReadOnlySpan<short> pcm, int frameSize, Span<byte> output)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if ((long)frameSize * Channels > pcm.Length)
        {
            ThrowPcmTooShort(nameof(pcm));
        }

        int result;
        fixed (short* samples = pcm)
        fixed (byte* data = output)
        {
            result = OpusNative.opus_encode(_handle, samples, frameSize, data, output.Length);
        }

        if (result < 0)
        {
            ThrowOpus(result, "opus_encode");
        }

        return result;
    }

    public void Dispose() => _handle.Dispose();

    private void Set(int request, int value, string name)
    {
        var result = OpusNative.opus_encoder_ctl_set_int(_handle, request, value);
        if (result < 0)
        {
            ThrowOpus(result, name);
        }
    }

    private int Get(int request, string name)
    {
        var result = OpusNative.opus_encoder_ctl_get_int(_handle, request, out var value);
        if (result < 0)
        {
            ThrowOpus(result, name);
        }

        return value;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowOpus(int error, string operation) => throw new OpusException(error, operation);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowPcmTooShort(string name) =>
        throw new ArgumentException("pcm holds fewer than frameSize × channels samples.", name);
}
