using CallTracking.Media.Audio;
using CallTracking.Tests.Media.Recording;

namespace CallTracking.Tests.Media.Audio;

public sealed class ResamplerTests
{
    [Theory]
    [InlineData(300)]
    [InlineData(1000)]
    [InlineData(3000)]
    public void Down_to_8k_keeps_the_telephone_band(double frequency)
    {
        short[] input = Signals.Tone(frequency, 16_000, TimeSpan.FromSeconds(1));
        short[] output = Resampler.Convert(input, 16_000, 8_000);
        Assert.Equal(8000, output.Length);
        short[] expected = Signals.Tone(frequency, 8000, TimeSpan.FromSeconds(1));
        var (correlation, _) = Signals.BestCorrelation(expected, output, 400, 7000, maxLag: 40);
        Assert.True(correlation > 0.99, $"correlation {correlation:F4}");
        double gain = Signals.Rms(output.AsSpan(400, 7000)) / Signals.Rms(expected.AsSpan(400, 7000));
        Assert.InRange(gain, 0.95, 1.05);
    }

    [Theory]
    [InlineData(5000)]
    [InlineData(6000)]
    [InlineData(7000)]
    public void Down_to_8k_removes_what_would_alias(double frequency)
    {
        short[] input = Signals.Tone(frequency, 16_000, TimeSpan.FromSeconds(1));
        short[] output = Resampler.Convert(input, 16_000, 8_000);
        Assert.True(Signals.Rms(output.AsSpan(400)) < Signals.Rms(input) * 0.01);
    }

    [Fact]
    public void Up_to_16k_keeps_level_and_shape()
    {
        short[] input = Signals.Tone(1000, 8000, TimeSpan.FromSeconds(1));
        short[] output = Resampler.Convert(input, 8000, 16_000);
        Assert.Equal(16_000, output.Length);
        short[] expected = Signals.Tone(1000, 16_000, TimeSpan.FromSeconds(1));
        var (correlation, _) = Signals.BestCorrelation(expected, output, 800, 14_000, maxLag: 80);
        Assert.True(correlation > 0.99, $"correlation {correlation:F4}");
        double gain = Signals.Rms(output.AsSpan(800, 14_000)) / Signals.Rms(expected.AsSpan(800, 14_000));
        Assert.InRange(gain, 0.95, 1.05);
    }

    [Fact]
    public void Frame_by_frame_equals_all_at_once()
    {
        short[] input = Signals.Tone(700, 16_000, TimeSpan.FromMilliseconds(200));
        short[] whole = Resampler.Convert(input, 16_000, 8_000);
        var resampler = Resampler.Create(16_000, 8_000);
        var pieces = new List<short>();
        var frame = new short[160];
        for (int i = 0; i < input.Length; i += 320)
        {
            int n = resampler.Process(input.AsSpan(i, 320), frame);
            pieces.AddRange(frame.AsSpan(0, n).ToArray());
        }

        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void Other_rates_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Resampler.Create(44_100, 8000));
    }
}
