using CallTracking.Engine.Tracking.Dni;

namespace CallTracking.Tests.Tracking.Dni;

/// <summary>Which source a visitor belongs to: each kind of match, and the explicit priority order between them.</summary>
public sealed class SourceRuleTests
{
    private static readonly SourceRule GoogleAds = new(Guid.NewGuid(), "Google Ads", 10, SourceMatchKind.LandingParameter) { Parameter = "gclid" };
    private static readonly SourceRule Newsletter = new(Guid.NewGuid(), "Newsletter", 20, SourceMatchKind.Utm) { UtmSource = "newsletter", UtmMedium = "email" };
    private static readonly SourceRule Bing = new(Guid.NewGuid(), "Bing organic", 30, SourceMatchKind.Referrer) { Value = "bing.com" };
    private static readonly SourceRule Everyone = new(Guid.NewGuid(), "Everyone", 1000, SourceMatchKind.All);
    private static readonly SourceRule[] Sources = [Everyone, Bing, Newsletter, GoogleAds];

    private static VisitorTouch Page(string landing, string? referrer = null) => new VisitorTouch { LandingPage = landing, Referrer = referrer }.WithLandingParameters();

    [Fact]
    public void A_landing_page_parameter_matches_whatever_its_value_unless_a_value_is_required()
    {
        Assert.True(GoogleAds.Matches(Page("https://shop.example/?gclid=abc")));
        Assert.True(GoogleAds.Matches(Page("https://shop.example/?gclid=")));
        Assert.False(GoogleAds.Matches(Page("https://shop.example/?gclidx=abc")));
        var spring = GoogleAds with { Parameter = "promo", Value = "SPRING" };
        Assert.True(spring.Matches(Page("https://shop.example/?promo=spring")));
        Assert.False(spring.Matches(Page("https://shop.example/?promo=summer")));
    }

    [Fact]
    public void Utm_source_and_medium_match_ignoring_case_and_medium_only_when_set()
    {
        Assert.True(Newsletter.Matches(Page("https://shop.example/?utm_source=Newsletter&utm_medium=EMAIL")));
        Assert.False(Newsletter.Matches(Page("https://shop.example/?utm_source=newsletter&utm_medium=social")));
        Assert.True((Newsletter with { UtmMedium = null }).Matches(Page("https://shop.example/?utm_source=newsletter&utm_medium=social")));
        Assert.False(Newsletter.Matches(Page("https://shop.example/")));
    }

    [Fact]
    public void A_referrer_domain_matches_itself_and_its_subdomains_only()
    {
        Assert.True(Bing.Matches(Page("https://shop.example/", "https://www.bing.com/search?q=plumber")));
        Assert.True(Bing.Matches(Page("https://shop.example/", "https://bing.com/")));
        Assert.False(Bing.Matches(Page("https://shop.example/", "https://notbing.com/")));
        Assert.False(Bing.Matches(Page("https://shop.example/", "https://bing.com.evil.example/")));
        Assert.False(Bing.Matches(Page("https://shop.example/")));
    }

    [Fact]
    public void The_lowest_priority_number_that_matches_wins_whatever_the_listing_order()
    {
        var touch = Page("https://shop.example/?gclid=abc&utm_source=newsletter&utm_medium=email", "https://www.bing.com/");
        Assert.Same(GoogleAds, SourceRule.Choose(Sources, touch));
        Assert.Same(Newsletter, SourceRule.Choose(Sources, Page("https://shop.example/?utm_source=newsletter&utm_medium=email", "https://www.bing.com/")));
        Assert.Same(Bing, SourceRule.Choose(Sources, Page("https://shop.example/", "https://www.bing.com/")));
        Assert.Same(Everyone, SourceRule.Choose(Sources, Page("https://shop.example/")));
        Assert.Null(SourceRule.Choose([GoogleAds, Bing], Page("https://shop.example/")));

        // Raising "Everyone" above the others makes it take every visitor.
        Assert.Equal("Everyone", SourceRule.Choose([.. Sources.Where(s => s != Everyone), Everyone with { Priority = 1 }], touch)!.Name);
    }

    [Fact]
    public void The_landing_page_fills_utms_and_click_ids_the_request_left_out_but_never_overrides_them()
    {
        var touch = new VisitorTouch
        {
            LandingPage = "https://shop.example/p?utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_term=plumber&utm_content=ad1&gclid=G&gbraid=GB&wbraid=WB&msclkid=M&fbclid=F",
            UtmSource = "explicit",
        }.WithLandingParameters();
        Assert.Equal(("explicit", "cpc", "spring", "plumber", "ad1"), (touch.UtmSource, touch.UtmMedium, touch.UtmCampaign, touch.UtmTerm, touch.UtmContent));
        Assert.Equal(("G", "GB", "WB", "M", "F"), (touch.Gclid, touch.Gbraid, touch.Wbraid, touch.Msclkid, touch.Fbclid));
        Assert.True(touch.HasCampaign);
        Assert.False(new VisitorTouch { LandingPage = "https://shop.example/" }.WithLandingParameters().HasCampaign);
    }

    [Fact]
    public void A_malformed_landing_page_or_referrer_matches_nothing_and_throws_nothing()
    {
        var touch = new VisitorTouch { LandingPage = "not a url ?gclid=1", Referrer = "::::" }.WithLandingParameters();
        Assert.Null(touch.Gclid);
        Assert.Same(Everyone, SourceRule.Choose(Sources, touch));
    }
}
