namespace CallTracking.Engine.Api;

/// <summary>What produced a call (<c>call_attributions</c>): the confidence (<c>exact</c>, <c>recent</c>, <c>ambiguous</c>, <c>static</c>), the session and its campaign values.</summary>
public sealed record CallAttributionResource(
    string Confidence,
    Guid? SessionId,
    string? VisitorId,
    string? SourceName,
    string? UtmSource,
    string? UtmMedium,
    string? UtmCampaign,
    string? UtmTerm,
    string? UtmContent,
    string? LandingPage,
    string? Referrer,
    string? Gclid,
    string? Gbraid,
    string? Wbraid,
    string? Msclkid,
    string? Fbclid,
    string? GaClientId,
    string? GaSessionId,
    DateTimeOffset AttributedAt);
