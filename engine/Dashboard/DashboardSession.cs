namespace CallTracking.Engine.Dashboard;

/// <summary>A session made by signing in: the bearer token (shown once) and when it stops working.</summary>
public sealed record DashboardSession(string Token, DateTimeOffset ExpiresAt);
