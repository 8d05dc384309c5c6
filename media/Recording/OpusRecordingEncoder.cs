using CallTracking.Media.Codecs.Opus;

namespace CallTracking.Media.Recording;

/// <summary>
/// The recorder's encoder: libopus, two channels (caller left, other party right) of 8 kHz input, VOIP mode.
/// 32 kbit/s for the pair keeps speech intelligible for transcription; complexity 5 is about twice as fast as 10
/// for a barely audible difference (TESTING.md), which is what lets one core record a hundred calls.
/// </summary>
public sealed class OpusRecordingEncoder : IOpusFrameEncoder, IDisposable
{
    public const int Bitrate = 32_000;
    public const int Complexity = 5;

    private readonly OpusEncoder _encoder = new(8000, 2, OpusApplication.Voip, Bitrate, Complexity);

    public int InputSampleRate => 8000;

    public int Channels => 2;

    public int Lookahead => _encoder.Lookahead;

    public int Encode(ReadOnlySpan<short> interleavedPcm, int frameSizePerChannel, Span<byte> packet)
        => _encoder.Encode(interleavedPcm, frameSizePerChannel, packet);

    public void Dispose() => _encoder.Dispose();
}
