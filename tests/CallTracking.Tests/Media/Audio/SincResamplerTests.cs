using CallTracking.Media.Audio;
using CallTracking.Media.Sessions;
using CallTracking.Tests.Media.Recording;

namespace CallTracking.Tests.Media.Audio;

public sealed class SincResamplerTests
{
    [Theory]
    [InlineData(22_050)]
    [InlineData(44_100)]
    [InlineData(48_000)]
    [InlineData(11_025)]
    public void A_tone_in_the_telephone_band_keeps_its_frequency_level_and_length(int rate)
    {
        var input = Signals.Tone(1000, rate, TimeSpan.FromSeconds(1));
        var output = SincResampler.Convert(input, rate, 8000);

        Assert.Equal(8000, output.Length);
        var expected = Signals.Tone(1000, 8000, TimeSpan.FromSeconds(1));
        var (correlation, lag) = Signals.BestCorrelation(expected, output, 400, 6000, 8);
        Assert.True(correlation > 0.99, $"correlation {correlation:F3} at lag {lag}");
        Assert.InRange(Signals.Rms(output.AsSpan(400, 7000)) / Signals.Rms(expected.AsSpan(400, 7000)), 0.95, 1.05);
    }

    [Theory]
    [InlineData(22_050, 6000)]
    [InlineData(44_100, 9000)]
    public void A_tone_above_the_new_nyquist_frequency_is_removed_not_folded_back(int rate, double frequency)
    {
        // 6 kHz at 8 kHz sampling would alias to 2 kHz, right in the speech band.
        var input = Signals.Tone(frequency, rate, TimeSpan.FromSeconds(1));
        var output = SincResampler.Convert(input, rate, 8000);
        Assert.True(Signals.Rms(output.AsSpan(400, 7000)) < Signals.Rms(input) * 0.01, $"rms {Signals.Rms(output.AsSpan(400, 7000)):F1} of {Signals.Rms(input):F1}");
    }

    [Fact]
    public void A_prompt_wav_at_22_kHz_loads_as_8_kHz()
    {
        using var temp = new TempFolder();
        var path = temp.File("espeak.wav");
        WavWriter.Write(path, Signals.Tone(440, 22_050, TimeSpan.FromSeconds(2)), 22_050);

        var prompt = PromptAudio.FromWav(path);

        Assert.Equal(TimeSpan.FromSeconds(2), prompt.Duration);
        Assert.True(Signals.Rms(prompt.Samples.Span) > 5000);
    }
}
