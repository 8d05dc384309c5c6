namespace CallTracking.Engine.Tracking.Geo;

/// <summary>Where a number is registered, from its prefix: country and, for North America, state or province.</summary>
/// <param name="CountryCode">ISO 3166-1 alpha-2 (<c>US</c>, <c>GB</c>, <c>JM</c>; <c>XK</c> for Kosovo, <c>AC</c>/<c>TA</c> as ITU uses them).</param>
/// <param name="CountryName">English short name.</param>
/// <param name="Region">US state, Canadian province or territory; null where the tables do not go below country.</param>
public sealed record CallerLocation(string CountryCode, string CountryName, string? Region);
