namespace CallTracking.Engine.Api;

/// <summary>
/// A traffic source of a site: tried in ascending <see cref="Priority"/>, matched by <see cref="MatchKind"/>
/// (<c>landing_param</c>, <c>utm</c>, <c>referrer</c>, <c>all</c>); its visitors see <see cref="Number"/> (static)
/// or a number of <see cref="PoolId"/>.
/// </summary>
public sealed record DniSourceResource(
    Guid Id,
    Guid OrganisationId,
    Guid SiteId,
    string Name,
    int Priority,
    string MatchKind,
    string? MatchParam,
    string? MatchValue,
    string? MatchUtmSource,
    string? MatchUtmMedium,
    string? Number,
    Guid? PoolId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
