namespace CallTracking.Engine.Tracking.Dni;

/// <summary>
/// What a page view tells about where the visitor came from: the landing page and referrer, the five UTM
/// parameters, the ad platforms' click ids (Google gclid/gbraid/wbraid, Microsoft msclkid, Meta fbclid), GA4's
/// client and session ids (from the <c>_ga</c> cookies) and the user agent. Every member is optional text.
/// </summary>
public sealed record VisitorTouch
{
    public string? LandingPage { get; init; }

    public string? Referrer { get; init; }

    public string? UtmSource { get; init; }

    public string? UtmMedium { get; init; }

    public string? UtmCampaign { get; init; }

    public string? UtmTerm { get; init; }

    public string? UtmContent { get; init; }

    public string? Gclid { get; init; }

    public string? Gbraid { get; init; }

    public string? Wbraid { get; init; }

    public string? Msclkid { get; init; }

    public string? Fbclid { get; init; }

    public string? GaClientId { get; init; }

    public string? GaSessionId { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>Whether the touch names a campaign (a UTM or a click id): such a touch replaces a session's last touch.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasCampaign =>
        UtmSource is not null || UtmMedium is not null || UtmCampaign is not null || Gclid is not null || Gbraid is not null
        || Wbraid is not null || Msclkid is not null || Fbclid is not null;

    /// <summary>The value of query parameter <paramref name="name"/> in <see cref="LandingPage"/>, or null (absent, or no landing page).</summary>
    public string? LandingParameter(string name)
    {
        if (LandingPage is null || !Uri.TryCreate(LandingPage, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
        return query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] ?? string.Empty : null;
    }

    /// <summary>The host of <see cref="Referrer"/>, lower case, or null.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? ReferrerHost =>
        Referrer is not null && Uri.TryCreate(Referrer, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host.ToLowerInvariant() : null;

    /// <summary>
    /// Fills the UTM and click-id members left empty from the landing page's query string, so a back end that only
    /// forwards the URL (or a script that lost a value) still records them.
    /// </summary>
    public VisitorTouch WithLandingParameters() => this with
    {
        UtmSource = UtmSource ?? NonEmpty(LandingParameter("utm_source")),
        UtmMedium = UtmMedium ?? NonEmpty(LandingParameter("utm_medium")),
        UtmCampaign = UtmCampaign ?? NonEmpty(LandingParameter("utm_campaign")),
        UtmTerm = UtmTerm ?? NonEmpty(LandingParameter("utm_term")),
        UtmContent = UtmContent ?? NonEmpty(LandingParameter("utm_content")),
        Gclid = Gclid ?? NonEmpty(LandingParameter("gclid")),
        Gbraid = Gbraid ?? NonEmpty(LandingParameter("gbraid")),
        Wbraid = Wbraid ?? NonEmpty(LandingParameter("wbraid")),
        Msclkid = Msclkid ?? NonEmpty(LandingParameter("msclkid")),
        Fbclid = Fbclid ?? NonEmpty(LandingParameter("fbclid")),
    };

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
