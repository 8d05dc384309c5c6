using CallTracking.Engine.Tracking.Dni;

namespace CallTracking.Tests.Tracking.Dni;

public sealed class PoolUtilisationTests
{
    [Theory]
    // 60 visits/h, 30 min lease + 10 min cool-down: 40 numbers busy on average, +20% headroom = 48.
    [InlineData(60, 1800, 600, 0.05, 48)]
    // A call rate above 20% is the headroom: 60 × 40/60 × 1.5 = 60.
    [InlineData(60, 1800, 600, 0.5, 60)]
    // 10 visits/h, 30 + 0 min: 5 × 1.2 = 6.
    [InlineData(10, 1800, 0, 0, 6)]
    [InlineData(0, 1800, 600, 0, 0)]
    // Fractions round up: 1 × 40/60 × 1.2 = 0.8 → 1.
    [InlineData(1, 1800, 600, 0, 1)]
    public void Recommended_size_is_visits_times_busy_minutes_over_60_plus_headroom_rounded_up(double visits, int lease, int cooldown, double callRate, int expected) =>
        Assert.Equal(expected, PoolUtilisation.Recommend(visits, lease, cooldown, callRate));
}
