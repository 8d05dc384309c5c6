namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>The <c>conversion_actions.platform</c> values.</summary>
public static class ConversionPlatform
{
    public const string GoogleAds = "google_ads";
    public const string Ga4 = "ga4";
    public const string Meta = "meta";
    public const string MicrosoftAds = "microsoft_ads";

    public static readonly IReadOnlyList<string> All = [GoogleAds, Ga4, Meta, MicrosoftAds];

    public static bool IsKnown(string? platform) => platform is GoogleAds or Ga4 or Meta or MicrosoftAds;
}
