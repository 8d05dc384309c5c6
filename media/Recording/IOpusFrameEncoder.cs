namespace CallTracking.Media.Recording;

/// <summary>
/// What the recorder needs from an Opus encoder: one frame in, one packet out.
/// The engine adapts the libopus binding to it; the recorder knows nothing else
/// about the codec.
/// </summary>
public interface IOpusFrameEncoder
{
    /// <summary>Samples per second the encoder takes (8000, 12000, 16000, 24000 or 48000).</summary>
    int InputSampleRate { get; }

    /// <summary>Interleaved channels per input frame.</summary>
    int Channels { get; }

    /// <summary>
    /// The encoder's delay in samples per channel at <see cref="InputSampleRate"/>
    /// (libopus OPUS_GET_LOOKAHEAD); the Ogg pre-skip is this converted to 48 kHz.
    /// </summary>
    int Lookahead { get; }

    /// <summary>Encodes one frame (<paramref name="frameSizePerChannel"/> samples per channel).</summary>
    /// <returns>The packet length written into <paramref name="packet"/>.</returns>
    int Encode(ReadOnlySpan<short> interleavedPcm, int frameSizePerChannel, Span<byte> packet);
}
