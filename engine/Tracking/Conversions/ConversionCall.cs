namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>
/// An ended call as conversions see it: the call record (caller, times, talk, tags, score, value), its attribution
/// (<c>call_attributions</c>: click ids, GA ids, UTM) and its organisation's time zone and phone country.
/// </summary>
public sealed record ConversionCall
{
    public required Guid CallId { get; init; }

    public required Guid OrganisationId { get; init; }

    public string? CallerNumber { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public decimal? TalkSeconds { get; init; }

    public int Score { get; init; }

    public decimal? Value { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Gclid { get; init; }

    public string? Gbraid { get; init; }

    public string? Wbraid { get; init; }

    public string? Msclkid { get; init; }

    public string? Fbclid { get; init; }

    public string? GaClientId { get; init; }

    public string? GaSessionId { get; init; }

    /// <summary>When the attribution was made (the click's visit is at or before it); Meta's fbc creation time.</summary>
    public DateTimeOffset? AttributedAt { get; init; }

    public string? UtmSource { get; init; }

    public string? UtmMedium { get; init; }

    public string? UtmCampaign { get; init; }

    public string? UtmTerm { get; init; }

    public string? UtmContent { get; init; }

    public string? LandingPage { get; init; }

    /// <summary>The organisation's IANA time zone (<c>organisations.time_zone</c>).</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The organisation's phone country (<c>organisations.phone_country</c>) for national caller numbers.</summary>
    public string PhoneCountry { get; init; } = "US";

    public bool HasGoogleClick => Gclid is not null || Gbraid is not null || Wbraid is not null;
}
