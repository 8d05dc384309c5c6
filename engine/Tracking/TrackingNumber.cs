using CallTracking.Engine.Configuration;

namespace CallTracking.Engine.Tracking;

/// <summary>A number published for a campaign, in E.164 form (<c>+15551230001</c>), and its display name.</summary>
public sealed record TrackingNumber(string E164, string Name)
{
    /// <summary>The digits of <see cref="E164"/> without the leading <c>+</c>.</summary>
    public string Digits => E164[1..];

    /// <summary>The organisation (client) the number belongs to, or null.</summary>
    public string? Organisation { get; init; }

    /// <summary>The campaign the number is published for, or null.</summary>
    public string? Campaign { get; init; }

    /// <summary>What a call to the number goes through.</summary>
    public RoutingPlan Plan { get; init; } = RoutingPlan.Default;

    public override string ToString() => $"{E164} ({Name})";
}
