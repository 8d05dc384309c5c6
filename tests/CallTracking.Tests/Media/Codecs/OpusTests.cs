using CallTracking.Media.Codecs.Opus;
using CallTracking.Media.Native;

namespace CallTracking.Tests.Media.Codecs;

public sealed class OpusTests
{
    private const int MaxPacket = 1275;

    [Theory]
    [InlineData(8000, 1, 16000)]
    [InlineData(16000, 1, 24000)]
    [InlineData(8000, 2, 32000)]
    [InlineData(16000, 2, 48000)]
    public void A_440Hz_tone_survives_encode_and_decode(int sampleRate, int channels, int bitrate)
    {
        using var encoder = new OpusEncoder(sampleRate, channels, OpusApplication.Voip, bitrate, complexity: 5);
        using var decoder = new OpusDecoder(sampleRate, channels);
        var frameSize = sampleRate / 50;
        var input = CodecTestSignals.Tone(sampleRate, channels, sampleRate); // 1 s
        var output = new short[input.Length];
        var packet = new byte[MaxPacket];
        for (var offset = 0; offset < input.Length; offset += frameSize * channels)
        {
            var length = encoder.Encode(input.AsSpan(offset, frameSize * channels), frameSize, packet);
            Assert.InRange(length, 1, MaxPacket);
            var decoded = decoder.Decode(packet.AsSpan(0, length), output.AsSpan(offset, frameSize * channels), frameSize);
            Assert.Equal(frameSize, decoded);
        }

        // The output lags by the encoder's look-ahead (6.5 ms in VOIP mode).
        Assert.Equal(sampleRate * 13 / 2000, encoder.Lookahead);
        for (var channel = 0; channel < channels; channel++)
        {
            // A tone repeats every period, so look for the peak only within half a period of the look-ahead.
            var halfPeriod = sampleRate / (channel == 0 ? 440 : 660) / 2;
            var atLookahead = Correlation(input, output, channels, channel, skip: sampleRate / 10, encoder.Lookahead);
            Assert.True(atLookahead > 0.9, $"channel {channel}: correlation {atLookahead:F3} at lag {encoder.Lookahead}");
            var peak = Enumerable.Range(encoder.Lookahead - halfPeriod, 2 * halfPeriod)
                .MaxBy(lag => Correlation(input, output, channels, channel, skip: sampleRate / 10, lag));
            Assert.InRange(peak, encoder.Lookahead - 2, encoder.Lookahead + 2);
        }
    }

    [Fact]
    public void An_empty_packet_is_concealed()
    {
        using var decoder = new OpusDecoder(16000, 1);
        var pcm = new short[320];
        Assert.Equal(320, decoder.Decode([], pcm, 320));
    }

    [Fact]
    public void Invalid_arguments_raise_OpusException_with_libopus_text()
    {
        var create = Assert.Throws<OpusException>(() => new OpusEncoder(44100, 1, OpusApplication.Voip, 24000, 5));
        Assert.Equal(-1, create.ErrorCode);
        Assert.Contains("invalid argument", create.Message, StringComparison.Ordinal);

        Assert.Throws<OpusException>(() => new OpusEncoder(16000, 3, OpusApplication.Voip, 24000, 5));
        Assert.Throws<OpusException>(() => new OpusEncoder(16000, 1, OpusApplication.Voip, 24000, complexity: 11));
        Assert.Throws<OpusException>(() => new OpusDecoder(11025, 1));

        using var encoder = new OpusEncoder(16000, 1, OpusApplication.Voip, 24000, 5);
        var encode = Assert.Throws<OpusException>(() => encoder.Encode(new short[123], 123, new byte[MaxPacket]));
        Assert.Contains("invalid argument", encode.Message, StringComparison.Ordinal);
        Assert.Contains("opus_encode", encode.Message, StringComparison.Ordinal);

        using var decoder = new OpusDecoder(16000, 1);
        var decode = Assert.Throws<OpusException>(() => decoder.Decode([0xFF], new short[320], 320)); // code 3 without its count byte
        Assert.Equal(-4, decode.ErrorCode);
        Assert.Contains("corrupted stream", decode.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_short_a_pcm_buffer_is_refused_before_libopus_reads_it()
    {
        using var encoder = new OpusEncoder(16000, 2, OpusApplication.Voip, 24000, 5);
        Assert.Throws<ArgumentException>(() => encoder.Encode(new short[320], 320, new byte[MaxPacket]));
        using var decoder = new OpusDecoder(16000, 2);
        Assert.Throws<ArgumentException>(() => decoder.Decode([], new short[320], 320));
    }

    [Fact]
    public void Dispose_releases_the_native_state()
    {
        var encoder = new OpusEncoder(8000, 1, OpusApplication.Voip, 16000, 5);
        var decoder = new OpusDecoder(8000, 1);
        encoder.Dispose();
        decoder.Dispose();
        encoder.Dispose(); // idempotent
        Assert.True(encoder.IsClosed);
        Assert.True(decoder.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(new short[160], 160, new byte[MaxPacket]));
        Assert.Throws<ObjectDisposedException>(() => decoder.Decode([], new short[160], 160));
    }

    [Fact]
    public void The_resolver_finds_the_versioned_Debian_library()
    {
        Assert.Contains("libopus.so.0", NativeLibraries.Opus.FileNames);
        var versionedOnly = NativeLibraries.Opus with { LogicalName = "opus-versioned-only", FileNames = ["libopus.so.0"] };
        Assert.True(NativeLibraries.TryLoad(versionedOnly, null, out var handle));
        Assert.NotEqual(0, handle);
        Assert.StartsWith("libopus 1.", OpusLibrary.EnsureAvailable(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_library_names_the_Debian_package_to_install()
    {
        var missing = NativeLibraries.Opus with { LogicalName = "opus-not-here", FileNames = ["libopus-not-here.so.0"] };
        var exception = Assert.Throws<NativeLibraryMissingException>(() => NativeLibraries.EnsureAvailable(missing));
        Assert.Equal("libopus is not installed: install the Debian package libopus0 (apt-get install libopus0)", exception.Message);
        Assert.Same(missing, exception.Library);
    }

    [Fact]
    public void Encoding_and_decoding_a_frame_allocates_nothing()
    {
        using var encoder = new OpusEncoder(16000, 1, OpusApplication.Voip, 24000, 5);
        using var decoder = new OpusDecoder(16000, 1);
        var pcm = CodecTestSignals.Tone(16000, 1, 320);
        var packet = new byte[MaxPacket];
        var output = new short[320];
        decoder.Decode(packet.AsSpan(0, encoder.Encode(pcm, 320, packet)), output, 320);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            var length = encoder.Encode(pcm, 320, packet);
            decoder.Decode(packet.AsSpan(0, length), output, 320);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static double Correlation(short[] input, short[] output, int channels, int channel, int skip, int lag)
    {
        double xy = 0, xx = 0, yy = 0;
        for (var i = skip; i + lag < input.Length / channels; i++)
        {
            double x = input[(i * channels) + channel];
            double y = output[((i + lag) * channels) + channel];
            xy += x * y;
            xx += x * x;
            yy += y * y;
        }

        return xy / Math.Sqrt(xx * yy);
    }
}
