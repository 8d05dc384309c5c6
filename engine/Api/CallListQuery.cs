namespace CallTracking.Engine.Api;

/// <summary>
/// The filters of a call listing (REST <c>GET /v1/calls</c>, gRPC <c>ListCalls</c>); null means no filter.
/// <see cref="Disposition"/> <c>in-progress</c> selects calls not yet ended; <see cref="Text"/> matches caller
/// number or name (case-insensitive) or, in web-search syntax, the words of its transcript (TranscriptSearch).
/// <see cref="After"/> is the decoded page token.
/// </summary>
public sealed record CallListQuery(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? TrackingNumber = null,
    Guid? Campaign = null,
    string? Disposition = null,
    string? Text = null,
    (DateTimeOffset StartedAt, Guid Id)? After = null);
