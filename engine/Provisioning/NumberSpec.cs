namespace CallTracking.Engine.Provisioning;

/// <summary>A tracking number (E.164) and the campaign and plan (by name, in the same organisation) it belongs to.</summary>
public sealed record NumberSpec(string Path, string Number, string? Campaign, string? Plan, string? Name);
