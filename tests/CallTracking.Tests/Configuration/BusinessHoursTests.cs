using CallTracking.Engine.Configuration;

namespace CallTracking.Tests.Configuration;

public sealed class BusinessHoursTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private static BusinessHours Hours(TimeZoneInfo zone, params (string Day, string Hours)[] schedule)
    {
        Assert.True(
            BusinessHours.TryCreate(zone, schedule.Select(s => KeyValuePair.Create(s.Day, s.Hours)), out var hours, out var key, out var error),
            $"{key}: {error}");
        return hours;
    }

    [Theory]
    // Monday 30 Nov 2026 (winter, UTC-5): 08:00 local = 13:00 UTC.
    [InlineData("2026-11-30T12:59:00Z", false)]
    [InlineData("2026-11-30T13:00:00Z", true)]
    [InlineData("2026-11-30T22:59:00Z", true)]
    [InlineData("2026-11-30T23:00:00Z", false)]
    // Monday 6 Jul 2026 (summer, UTC-4): 08:00 local = 12:00 UTC.
    [InlineData("2026-07-06T12:00:00Z", true)]
    [InlineData("2026-07-06T11:59:00Z", false)]
    [InlineData("2026-07-06T21:59:00Z", true)]
    [InlineData("2026-07-06T22:00:00Z", false)]
    // Sunday is not listed: closed.
    [InlineData("2026-11-29T15:00:00Z", false)]
    public void Open_hours_follow_the_zone_and_daylight_saving(string instant, bool open)
    {
        var hours = Hours(NewYork, ("mon", "08:00-18:00"), ("sat", "closed"));
        Assert.Equal(open, hours.IsOpen(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Spring_forward_day_uses_the_new_offset_after_the_change()
    {
        // Sunday 29 March 2026: UK clocks go from 01:00 GMT to 02:00 BST.
        var hours = Hours(London, ("sun", "09:00-10:00"));
        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 3, 29, 8, 30, 0, TimeSpan.Zero)));  // 09:30 BST
        Assert.False(hours.IsOpen(new DateTimeOffset(2026, 3, 29, 9, 30, 0, TimeSpan.Zero))); // 10:30 BST
    }

    [Fact]
    public void Split_and_overnight_ranges()
    {
        var hours = Hours(TimeZoneInfo.Utc, ("fri", "08:00-12:00, 13:00-17:00"), ("sat", "22:00-02:00"));
        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 12, 4, 11, 59, 0, TimeSpan.Zero)));
        Assert.False(hours.IsOpen(new DateTimeOffset(2026, 12, 4, 12, 30, 0, TimeSpan.Zero)));
        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 12, 4, 13, 0, 0, TimeSpan.Zero)));
        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 12, 5, 23, 0, 0, TimeSpan.Zero)));
        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 12, 6, 1, 59, 0, TimeSpan.Zero)));
        Assert.False(hours.IsOpen(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("8-18")]
    [InlineData("08:00")]
    [InlineData("25:00-26:00")]
    [InlineData("08:60-09:00")]
    [InlineData("08:00-08:00")]
    [InlineData("24:00-08:00")]
    public void Bad_ranges_are_refused(string text)
    {
        Assert.False(BusinessHours.TryCreate(TimeZoneInfo.Utc, [KeyValuePair.Create("mon", text)], out _, out var key, out var error));
        Assert.Equal("mon", key);
        Assert.NotNull(error);
    }
}
