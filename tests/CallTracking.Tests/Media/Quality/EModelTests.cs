using CallTracking.Media.Codecs;
using CallTracking.Media.Quality;

namespace CallTracking.Tests.Media.Quality;

public sealed class EModelTests
{
    [Fact]
    public void Clean_G711_call_is_about_4_4()
    {
        var mos = EModel.EstimateMos(AudioCodec.Pcmu, packetLossPercent: 0, jitterMs: 0);
        Assert.InRange(mos, 4.35, 4.45);
    }

    [Fact]
    public void Five_percent_loss_is_clearly_worse()
    {
        var clean = EModel.EstimateMos(AudioCodec.Pcma, 0, 5);
        var lossy = EModel.EstimateMos(AudioCodec.Pcma, 5, 5);
        Assert.True(lossy < clean - 0.4, $"{lossy} vs {clean}");
        Assert.InRange(lossy, 3.3, 4.0);
        // Without concealment G.711 falls apart much faster (Bpl 4.3 against 25.1).
        Assert.True(EModel.EstimateMos(AudioCodec.Pcma, 5, 5, packetLossConcealment: false) < lossy - 1);
    }

    [Theory]
    [InlineData(AudioCodec.Pcmu)]
    [InlineData(AudioCodec.Opus)]
    public void Mos_falls_monotonically_with_loss_jitter_and_delay(AudioCodec codec)
    {
        var previous = double.MaxValue;
        for (var loss = 0.0; loss <= 40; loss += 0.5)
        {
            var mos = EModel.EstimateMos(codec, loss, 10);
            Assert.True(mos <= previous, $"loss {loss}: {mos} > {previous}");
            previous = mos;
        }

        previous = double.MaxValue;
        for (var delay = 0.0; delay <= 600; delay += 10)
        {
            var mos = EModel.EstimateMos(codec, 1, 10, delay);
            Assert.True(mos <= previous, $"delay {delay}: {mos} > {previous}");
            previous = mos;
        }

        Assert.True(EModel.EstimateMos(codec, 1, 80) < EModel.EstimateMos(codec, 1, 5));
    }

    [Fact]
    public void Long_delay_beyond_177_ms_costs_more_per_millisecond()
    {
        var below = EModel.DelayImpairment(170) - EModel.DelayImpairment(160);
        var above = EModel.DelayImpairment(300) - EModel.DelayImpairment(290);
        Assert.True(above > 4 * below);
    }

    [Theory]
    [InlineData(-5, 1.0)]
    [InlineData(0, 1.0)]
    [InlineData(100, 4.5)]
    [InlineData(150, 4.5)]
    public void Mos_is_clamped(double r, double expected) => Assert.Equal(expected, EModel.MosFromR(r), 6);

    [Fact]
    public void Nonsense_input_is_clamped_not_thrown()
    {
        Assert.InRange(EModel.EstimateMos(AudioCodec.Pcmu, double.NaN, -3, -10), 4.3, 4.5);
        Assert.Equal(1.0, EModel.EstimateMos(AudioCodec.Pcmu, 400, 1000, 5000));
    }
}
