using CallTracking.Engine.Tracking.Geo;

namespace CallTracking.Tests.Tracking.Geo;

public sealed class CallerGeographyTests
{
    [Theory]
    [InlineData("+12125550100", "US", "New York")]
    [InlineData("+14155550100", "US", "California")]
    [InlineData("+13125550100", "US", "Illinois")]
    [InlineData("+12025550100", "US", "District of Columbia")]
    [InlineData("+17135550100", "US", "Texas")]
    [InlineData("+19075550100", "US", "Alaska")]
    [InlineData("+14165550100", "CA", "Ontario")]
    [InlineData("+16045550100", "CA", "British Columbia")]
    [InlineData("+15145550100", "CA", "Quebec")]
    [InlineData("+18675550100", "CA", "Northwest Territories, Nunavut and Yukon")]
    public void North_American_area_codes_name_state_or_province(string number, string country, string region)
    {
        var location = CallerGeography.Locate(number);
        Assert.NotNull(location);
        Assert.Equal((country, region), (location.CountryCode, location.Region));
    }

    [Theory]
    [InlineData("+18765550100", "JM", "Jamaica")]
    [InlineData("+17875550100", "PR", "Puerto Rico")]
    [InlineData("+12425550100", "BS", "Bahamas")]
    [InlineData("+18095550100", "DO", "Dominican Republic")]
    [InlineData("+14415550100", "BM", "Bermuda")]
    public void Other_NANP_members_are_their_own_country(string number, string country, string name)
    {
        var location = CallerGeography.Locate(number);
        Assert.Equal(new CallerLocation(country, name, null), location);
    }

    [Theory]
    [InlineData("+442071234567", "GB")]
    [InlineData("+441481712345", "GG")]
    [InlineData("+4930123456", "DE")]
    [InlineData("+33142685300", "FR")]
    [InlineData("+74951234567", "RU")]
    [InlineData("+77172123456", "KZ")]
    [InlineData("+77011234567", "KZ")]
    [InlineData("+61291234567", "AU")]
    [InlineData("+81312345678", "JP")]
    [InlineData("+8613812345678", "CN")]
    [InlineData("+919812345678", "IN")]
    [InlineData("+5511912345678", "BR")]
    [InlineData("+27211234567", "ZA")]
    [InlineData("+35312345678", "IE")]
    [InlineData("+358181234567", "AX")]
    [InlineData("+358912345678", "FI")]
    [InlineData("+2348012345678", "NG")]
    [InlineData("+97143123456", "AE")]
    [InlineData("+262269123456", "YT")]
    [InlineData("+262262123456", "RE")]
    public void Country_codes_match_by_longest_prefix(string number, string country)
    {
        var location = CallerGeography.Locate(number);
        Assert.NotNull(location);
        Assert.Equal(country, location.CountryCode);
        Assert.Null(location.Region);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("+1")]
    [InlineData("+1-212-555-0100")]
    [InlineData("anonymous")]
    [InlineData("+18005550100")]   // toll-free: nowhere in particular
    [InlineData("+15555550100")]   // 555 is not an area code
    [InlineData("+8081234567")]    // +808 is reserved (shared cost), not a country
    [InlineData("+1234567890123456")]
    public void Unlocatable_numbers_are_null(string? number) => Assert.Null(CallerGeography.Locate(number));

    [Fact]
    public void The_plus_is_optional()
    {
        Assert.Equal("GB", CallerGeography.Locate("442071234567")!.CountryCode);
    }
}
