namespace CallTracking.Engine.Tracking;

/// <summary>A number published for a campaign, in E.164 form (<c>+15551230001</c>), and its display name.</summary>
public sealed record TrackingNumber(string E164, string Name)
{
    /// <summary>The digits of <see cref="E164"/> without the leading <c>+</c>.</summary>
    public string Digits => E164[1..];

    public override string ToString() => $"{E164} ({Name})";
}
