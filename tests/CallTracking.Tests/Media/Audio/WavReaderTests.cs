using System.Buffers.Binary;
using CallTracking.Media.Audio;
using CallTracking.Tests.Media.Recording;

namespace CallTracking.Tests.Media.Audio;

public sealed class WavReaderTests
{
    private static byte[] Wav(ushort format = 1, ushort channels = 1, uint rate = 8000, ushort bits = 16, int dataBytes = 320)
    {
        byte[] file = WavWriter.ToBytes(new short[dataBytes / 2], 8000);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(20), format);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(22), channels);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), rate);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(34), bits);
        return file;
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void Reads_what_WavWriter_writes(int rate)
    {
        short[] samples = Signals.Tone(440, rate, TimeSpan.FromMilliseconds(250));
        Assert.True(WavReader.TryRead(WavWriter.ToBytes(samples, rate), out var audio, out string? error), error);
        Assert.Equal(rate, audio.SampleRate);
        Assert.Equal(samples, audio.Samples);
        Assert.Equal(TimeSpan.FromMilliseconds(250), audio.Duration);
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void Reads_what_sox_writes_including_its_extra_chunks(int rate)
    {
        using var temp = new TempFolder();
        string path = temp.File("prompt.wav");
        var (exit, output) = ExternalTool.Run("sox", "-n", "-r", rate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "1", "-b", "16", "-e", "signed-integer", path, "synth", "0.5", "sine", "440");
        Assert.True(exit == 0, output);

        var audio = WavReader.Read(path);
        Assert.Equal(rate, audio.SampleRate);
        Assert.Equal(rate / 2, audio.Samples.Length);
        Assert.True(Signals.Rms(audio.Samples) > 10_000);
    }

    [Fact]
    public void Skips_unknown_chunks_and_their_padding()
    {
        byte[] plain = WavWriter.ToBytes([1, 2, 3], 8000);
        byte[] list = [.. "LIST"u8, 3, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c', 0];
        byte[] file = [.. plain[..36], .. list, .. plain[36..]];
        Assert.True(WavReader.TryRead(file, out var audio, out string? error), error);
        Assert.Equal(new short[] { 1, 2, 3 }, audio.Samples);
    }

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "stereo", Wav(channels: 2), "stereo" },
        { "8-bit", Wav(bits: 8), "8-bit" },
        { "float", Wav(format: 3, bits: 32), "floating point" },
        { "µ-law", Wav(format: 7, bits: 8), "µ-law" },
        { "4 kHz", Wav(rate: 4_000), "4000 Hz" },
        { "96 kHz", Wav(rate: 96_000), "96000 Hz" },
        { "truncated data", Wav()[..100], "truncated" },
        { "truncated header", Wav()[..30], "truncated" },
        { "tiny", Wav()[..8], "truncated" },
        { "not RIFF", [.. "RIFX"u8, .. Wav()[4..]], "not a WAV file" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Each_malformed_file_is_refused_saying_why(string name, byte[] file, string expected)
    {
        Assert.False(WavReader.TryRead(file, out _, out string? error), name);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_throws_InvalidDataException_naming_the_file()
    {
        using var temp = new TempFolder();
        string path = temp.File("stereo.wav");
        WavWriter.Write(path, new short[320], 8000, channels: 2);
        var e = Assert.Throws<InvalidDataException>(() => WavReader.Read(path));
        Assert.Contains("stereo.wav", e.Message, StringComparison.Ordinal);
        Assert.Contains("sox", e.Message, StringComparison.Ordinal);
    }
}
