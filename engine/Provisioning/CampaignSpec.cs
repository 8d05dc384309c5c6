namespace CallTracking.Engine.Provisioning;

/// <summary>A campaign and the name of its default routing plan (in the same organisation), if any.</summary>
public sealed record CampaignSpec(string Path, string Name, string? Plan);
