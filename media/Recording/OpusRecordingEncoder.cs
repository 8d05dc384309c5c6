using CallTracking.Media.Codecs.Opus;

namespace CallTracking.Media.Recording;

/// <summary>
/// The recorder's encoder: libopus, two channels (caller left, other party right) of 8 kHz input, in CELT (the
/// restricted-low-delay application) at 48 kbit/s for the pair. Measured here on 8 kHz telephone speech: SILK (the
/// VOIP application) at 32 or 48 kbit/s keeps the words but not the waveform (correlation with what the caller
/// sent ≈ 0.86-0.91), while CELT keeps both (≈ 0.995) and encodes a 20 ms frame faster (≈ 51 µs against 62-69 µs,
/// complexity 5). A recording is evidence and feeds transcription: fidelity wins, and here it is also cheaper.
/// </summary>
public sealed class OpusRecordingEncoder : IOpusFrameEncoder, IDisposable
{
    public const int Bitrate = 48_000;

    public const OpusApplication Application = OpusApplication.RestrictedLowDelay;
    public const int Complexity = 5;

    private readonly OpusEncoder _encoder = new(8000, 2, Application, Bitrate, Complexity);

    public int InputSampleRate => 8000;

    public int Channels => 2;

    public int Lookahead => _encoder.Lookahead;

    public int Encode(ReadOnlySpan<short> interleavedPcm, int frameSizePerChannel, Span<byte> packet)
        => _encoder.Encode(interleavedPcm, frameSizePerChannel, packet);

    public void Dispose() => _encoder.Dispose();
}
