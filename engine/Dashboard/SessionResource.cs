namespace CallTracking.Engine.Dashboard;

/// <summary>The body of <c>POST /dashboard/session</c>'s 201: the bearer token for the API and gRPC-Web, and when it expires.</summary>
public sealed record SessionResource(string Token, DateTimeOffset ExpiresAt, string Username);
