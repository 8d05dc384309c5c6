namespace CallTracking.Engine.Dashboard;

/// <summary>One static file of the dashboard, held in memory: its bytes, content type and strong ETag.</summary>
public sealed record DashboardAsset(string Path, string ContentType, ReadOnlyMemory<byte> Content, string ETag);
