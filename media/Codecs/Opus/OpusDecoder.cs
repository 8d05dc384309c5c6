using CallTracking.Media.Native;

namespace CallTracking.Media.Codecs.Opus;

/// <summary>
/// One libopus decoder. Not thread-safe: one owner (a media worker) calls it.
/// <see cref="Decode"/> allocates nothing.
/// </summary>
public sealed class OpusDecoder : IDisposable
{
    private readonly OpusDecoderHandle _handle;

    /// <param name="sampleRate">Output rate: 8000, 12000, 16000, 24000 or 48000 (any packet decodes at any rate).</param>
    /// <param name="channels">1 or 2.</param>
    /// <exception cref="OpusException">libopus rejected an argument.</exception>
    /// <exception cref="NativeLibraryMissingException">libopus is not installed.</exception>
    public OpusDecoder(int sampleRate, int channels)
    {
        NativeLibraries.EnsureResolverRegistered();
        int error;
        try
        {
            _handle = OpusNative.opus_decoder_create(sampleRate, channels, out error);
        }
        catch (DllNotFoundException exception)
        {
            OpusLibrary.ThrowMissing(exception);
            throw;
        }

        if (error != 0 || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new OpusException(error, "opus_decoder_create");
        }

        SampleRate = sampleRate;
        Channels = channels;
    }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>True once disposed: the native decoder is destroyed.</summary>
    public bool IsClosed => _handle.IsClosed;

    /// <summary>Decodes one packet, or conceals a lost one.</summary>
    /// <param name="packet">The packet; empty = the packet was lost: packet loss concealment.</param>
    /// <param name="pcm">Interleaved output, at least <paramref name="frameSize"/> × <see cref="Channels"/>.</param>
    /// <param name="frameSize">Samples per channel the output has room for; for PLC and FEC exactly the lost duration (a multiple of 2.5 ms).</param>
    /// <param name="fec">Decode the in-band FEC data of <paramref name="packet"/> (the next packet) to recover the lost one before it.</param>
    /// <returns>Samples per channel written.</returns>
    /// <exception cref="OpusException">The packet is corrupt or the frame size is wrong.</exception>
    public unsafe int Decode(ReadOnlySpan<byte> packet, Span<short> pcm, int frameSize, bool fec = false)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if ((long)frameSize * Channels > pcm.Length)
        {
            ThrowPcmTooShort(nameof(pcm));
        }

        int result;
        fixed (byte* data = packet)
        fixed (short* samples = pcm)
        {
            // An empty span pins as null, which is what libopus takes for "lost".
            result = OpusNative.opus_decode(_handle, packet.IsEmpty ? null : data, packet.Length, samples, frameSize, fec ? 1 : 0);
        }

        if (result < 0)
        {
            ThrowOpus(result);
        }

        return result;
    }

    public void Dispose() => _handle.Dispose();

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowOpus(int error) => throw new OpusException(error, "opus_decode");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowPcmTooShort(string name) =>
        throw new ArgumentException("pcm holds fewer than frameSize × channels samples.", name);
}
