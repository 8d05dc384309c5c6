namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>The import files an operator downloads: one action's qualifying calls in its platform's file format.</summary>
public static class ConversionExports
{
    /// <summary>Whether <paramref name="platform"/> has an import file (Google Ads and Microsoft Advertising do).</summary>
    public static bool HasFile(string platform) => platform is ConversionPlatform.GoogleAds or ConversionPlatform.MicrosoftAds;

    /// <summary>Writes the file of <paramref name="action"/> for those of <paramref name="calls"/> that qualify, in the time zone <paramref name="timeZone"/>.</summary>
    public static void WriteCsv(TextWriter writer, ConversionAction action, string timeZone, IEnumerable<ConversionCall> calls)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(calls);
        var rows = calls.Where(action.Qualifies).Select(call => (action, call));
        switch (action.Platform)
        {
            case ConversionPlatform.GoogleAds:
                GoogleAdsConversions.WriteCsv(writer, timeZone, rows);
                break;
            case ConversionPlatform.MicrosoftAds:
                MicrosoftAdsConversions.WriteCsv(writer, timeZone, rows);
                break;
            default:
                throw new ArgumentException($"{action.Platform} has no import file", nameof(action));
        }
    }
}
