namespace CallTracking.Engine.Tracking.Dni;

/// <summary>How a <see cref="SourceRule"/> recognises its visitors (<c>dni_sources.match_kind</c>).</summary>
public enum SourceMatchKind
{
    /// <summary><c>landing_param</c>: the landing page has a query parameter (with a given value, when set).</summary>
    LandingParameter,

    /// <summary><c>utm</c>: utm_source (and utm_medium, when set) are equal, ignoring case.</summary>
    Utm,

    /// <summary><c>referrer</c>: the referrer's host is the domain or a subdomain of it.</summary>
    Referrer,

    /// <summary><c>all</c>: every visitor.</summary>
    All,
}
