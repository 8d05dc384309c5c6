using CallTracking.Engine.Tracking.Conversions;

namespace CallTracking.Tests.Tracking.Conversions;

/// <summary>
/// The fixed set of calls the export tests turn into files and payloads, and the actions they go to. The expected
/// files under Expected/ were written by hand from these (hashes computed outside .NET with Python's hashlib).
/// </summary>
internal static class ConversionFixtures
{
    public const string TimeZone = "America/New_York";

    public static readonly Guid Organisation = Guid.Parse("0b7c6f1e-0000-4000-8000-000000000001");

    /// <summary>gclid; international caller; winter (EST, -05:00).</summary>
    public static readonly ConversionCall GclidCall = Call("c0000000-0000-4000-8000-000000000001", "+1 415 555 0123", "2026-03-01T17:04:05Z", 95) with
    {
        Gclid = "EAIaIQobChMI-gclid-1",
        Tags = ["sale"],
        Score = 3,
    };

    /// <summary>gbraid only; national caller; summer (EDT, -04:00).</summary>
    public static readonly ConversionCall GbraidCall = Call("c0000000-0000-4000-8000-000000000002", "(212) 555-0188", "2026-07-04T13:00:00Z", 200) with
    {
        Gbraid = "0AAAAA-gbraid-2",
    };

    /// <summary>No Google click id (enhanced conversion by phone); msclkid, fbclid and GA ids from the visit.</summary>
    public static readonly ConversionCall NoClickCall = Call("c0000000-0000-4000-8000-000000000003", "+44 20 7946 0018", "2026-03-02T10:00:00Z", 61.5m) with
    {
        Msclkid = "msclk-3",
        Fbclid = "IwAR-fbclid-3",
        GaClientId = "123456.7654321",
        GaSessionId = "1700000000",
        AttributedAt = DateTimeOffset.Parse("2026-03-02T09:59:00Z", System.Globalization.CultureInfo.InvariantCulture),
        UtmSource = "google",
        UtmMedium = "cpc",
        UtmCampaign = "spring",
        Value = 75m,
    };

    /// <summary>No click id and a withheld number: cannot be sent to Google.</summary>
    public static readonly ConversionCall AnonymousCall = Call("c0000000-0000-4000-8000-000000000004", "anonymous", "2026-03-03T15:00:00Z", 300);

    /// <summary>A gclid, but too short a talk to qualify.</summary>
    public static readonly ConversionCall ShortCall = Call("c0000000-0000-4000-8000-000000000005", "+14155550199", "2026-03-04T15:00:00Z", 10) with
    {
        Gclid = "EAIaIQobChMI-gclid-5",
    };

    public static readonly IReadOnlyList<ConversionCall> All = [GclidCall, GbraidCall, NoClickCall, AnonymousCall, ShortCall];

    public static ConversionAction Google() => Action(ConversionPlatform.GoogleAds, "Phone call lead", 120m, new()
    {
        ["customer_id"] = "1234567890",
        ["conversion_action"] = "customers/1234567890/conversionActions/987654321",
    });

    public static ConversionAction Microsoft() => Action(ConversionPlatform.MicrosoftAds, "Phone lead", 120m, new());

    public static ConversionAction Ga4() => Action(ConversionPlatform.Ga4, "phone_call_lead", null, new() { ["measurement_id"] = "G-TEST123", ["api_secret"] = "s3cret" });

    public static ConversionAction Meta() => Action(ConversionPlatform.Meta, "Lead", 50m, new() { ["pixel_id"] = "1122334455", ["access_token"] = "EAAB-token" });

    private static ConversionAction Action(string platform, string conversionName, decimal? value, Dictionary<string, string> settings) =>
        new(Guid.Parse("a0000000-0000-4000-8000-000000000001"), Organisation, platform + " calls", platform, conversionName, 30m, null, null, value, "USD", true, settings, true);

    private static ConversionCall Call(string id, string caller, string startedAt, decimal talkSeconds)
    {
        var started = DateTimeOffset.Parse(startedAt, System.Globalization.CultureInfo.InvariantCulture);
        return new ConversionCall
        {
            CallId = Guid.Parse(id),
            OrganisationId = Organisation,
            CallerNumber = caller,
            StartedAt = started,
            EndedAt = started.AddSeconds((double)talkSeconds + 10),
            TalkSeconds = talkSeconds,
            TimeZone = TimeZone,
            PhoneCountry = "US",
        };
    }
}
