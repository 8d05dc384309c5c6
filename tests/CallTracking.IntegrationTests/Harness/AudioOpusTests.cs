using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Harness;

/// <summary>
/// Proves the checking side of recording tests with opus-tools alone: a two-channel Ogg Opus file
/// made by opusenc decodes (opusdec --rate 8000), splits into left and right, and each side
/// correlates with what went in. No engine.
/// </summary>
public sealed class AudioOpusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_channel_opus_decodes_splits_and_correlates_with_its_sources()
    {
        var directory = TestDirectory.Create();
        var caller = await TestAudio.SpeechAsync(TestAudio.CallerPhrase, directory.Path, "caller");
        var greeting = await TestAudio.SpeechAsync(TestAudio.GreetingPhrase, directory.Path, "greeting");
        // The greeting starts 700 ms into the right channel; the left has the caller from the start.
        var length = Math.Max(caller.Length, greeting.Length + 5600) + 800;
        var left = caller.Append(PcmAudio.Silence(TimeSpan.FromSeconds((double)(length - caller.Length) / 8000)));
        var right = PcmAudio.Silence(TimeSpan.FromMilliseconds(700)).Append(greeting, PcmAudio.Silence(TimeSpan.FromSeconds((double)(length - greeting.Length - 5600) / 8000)));
        var wav = directory.File("call.wav");
        Wav.Write(wav, 8000, left.Samples, right.Samples);
        var opus = directory.File("call.opus");
        await OpusFiles.EncodeAsync(wav, opus, bitrateKbps: 32);
        await OpusFiles.InfoAsync(opus);

        var decoded = await OpusFiles.DecodeStereoAsync(opus);

        Assert.Equal(8000, decoded.Left.SampleRate);
        Assert.InRange(decoded.Left.Length, left.Length - 160, left.Length + 960);
        var leftAlignment = Correlation.Align(caller, decoded.Left, TimeSpan.FromMilliseconds(500));
        var rightAlignment = Correlation.Align(greeting, decoded.Right, TimeSpan.FromSeconds(1));
        var crossTalk = Correlation.Align(caller, decoded.Right, TimeSpan.FromMilliseconds(500));
        output.WriteLine($"left {leftAlignment}; right {rightAlignment}; caller in right {crossTalk}");
        Assert.True(leftAlignment.Coefficient >= 0.9, "left: " + leftAlignment);
        Assert.True(rightAlignment.Coefficient >= 0.9, "right: " + rightAlignment);
        Assert.InRange(leftAlignment.Lag, -8, 8);
        Assert.InRange(rightAlignment.Lag, 5600 - 8, 5600 + 8);
        // Each side is the speaker it should be: the caller is not in the right channel.
        Assert.True(crossTalk.Coefficient < 0.3, crossTalk.ToString());
        Assert.True(Levels.IsSilent(decoded.Right.Slice(0, 4000)), $"right before the greeting: {Levels.Dbfs(decoded.Right.Slice(0, 4000)):0.0} dBFS");
    }

    [Fact]
    public async Task Mono_opus_decodes_to_one_channel()
    {
        var directory = TestDirectory.Create();
        var sweep = TestAudio.Sweep(TimeSpan.FromSeconds(2));
        Wav.Write(directory.File("sweep.wav"), sweep);
        await OpusFiles.EncodeAsync(directory.File("sweep.wav"), directory.File("sweep.opus"));

        var content = await OpusFiles.DecodeAsync(directory.File("sweep.opus"), directory.File("sweep.decoded.wav"));

        Assert.Equal(1, content.ChannelCount);
        Assert.True(Correlation.Align(sweep, content.Channel(0), TimeSpan.FromMilliseconds(100)).Coefficient >= 0.9);
        await Assert.ThrowsAsync<InvalidDataException>(() => OpusFiles.DecodeStereoAsync(directory.File("sweep.opus")));
    }
}
