namespace CallTracking.Engine.Api;

/// <summary>One page of <c>GET /v1/calls</c>; pass <see cref="NextPageToken"/> as <c>page_token</c> for the next (null on the last page).</summary>
public sealed record CallPage(IReadOnlyList<CallResource> Items, string? NextPageToken);
