using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.Media.Transcription;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary>Files made by opusenc (opus-tools), decoded by our reader for the transcription pipeline.</summary>
public sealed class OggOpusFileDecoderTests
{
    [Fact]
    public async Task A_stereo_file_decodes_to_16_kHz_channels_of_the_original_length_with_the_pre_skip_removed()
    {
        var directory = TestDirectory.Create();
        var left = TestAudio.Tone(440, TimeSpan.FromSeconds(3), amplitude: 0.5);
        var wav = directory.File("stereo.wav");
        Wav.Write(wav, left.SampleRate, left.Samples, new short[left.Samples.Length]);
        var opus = directory.File("stereo.opus");
        await ExternalTool.RunAsync("opusenc", ["--quiet", wav, opus]);

        var audio = OggOpusFileDecoder.Decode(opus);

        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(2, audio.Channels.Count);
        Assert.InRange(audio.Channels[0].Length, 47_900, 48_100);
        Assert.Equal(audio.Channels[0].Length, audio.Channels[1].Length);
        Assert.InRange(audio.DurationMs, 2_990, 3_010);
        var rms = Math.Sqrt(audio.Channels[0].Skip(1600).Take(16000).Average(s => (double)s * s));
        Assert.InRange(rms, 0.3, 0.42);
        Assert.True(audio.Channels[1].All(s => Math.Abs(s) < 0.01f), "the silent right channel has sound in it");
        Assert.Single(VoiceActivityDetector.Detect(audio.Channels[0], audio.SampleRate, new VoiceActivityOptions()));
        Assert.Empty(VoiceActivityDetector.Detect(audio.Channels[1], audio.SampleRate, new VoiceActivityOptions()));
    }

    [Fact]
    public async Task A_file_cut_short_decodes_what_it_has_and_a_file_that_is_not_ogg_says_so()
    {
        var directory = TestDirectory.Create();
        var tone = TestAudio.Tone(440, TimeSpan.FromSeconds(3));
        var wav = directory.File("mono.wav");
        Wav.Write(wav, tone);
        var opus = directory.File("mono.opus");
        await ExternalTool.RunAsync("opusenc", ["--quiet", wav, opus]);
        var bytes = await File.ReadAllBytesAsync(opus);

        var cut = OggOpusFileDecoder.Decode(bytes.AsSpan(0, bytes.Length * 2 / 3), "cut.opus");
        Assert.Single(cut.Channels);
        Assert.InRange(cut.DurationMs, 1000, 2900);

        var error = Assert.Throws<InvalidDataException>(() => OggOpusFileDecoder.Decode("RIFF....WAVEfmt "u8, "x.wav"));
        Assert.Contains("x.wav is not an Ogg file", error.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => OggOpusFileDecoder.Decode(directory.File("gone.opus")));
    }
}
