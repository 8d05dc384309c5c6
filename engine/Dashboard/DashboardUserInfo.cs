namespace CallTracking.Engine.Dashboard;

/// <summary>A dashboard user as <c>calltracking users list</c> shows it; never the password hash.</summary>
public sealed record DashboardUserInfo(string Username, string Organisation, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, bool Disabled);
