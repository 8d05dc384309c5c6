namespace CallTracking.Engine.Configuration;

/// <summary>One entry of the <c>Numbers</c> list.</summary>
public sealed class TrackingNumberOptions
{
    /// <summary>E.164 number, e.g. <c>+15551230001</c>.</summary>
    public string? Number { get; set; }

    /// <summary>What the number is published for, e.g. <c>Google Ads</c>; defaults to the campaign, then to the number.</summary>
    public string? Name { get; set; }

    /// <summary>The organisation (client) the number belongs to; created implicitly when not listed under <c>Organisations</c>.</summary>
    public string? Organisation { get; set; }

    /// <summary>The campaign the number is published for, e.g. <c>Google Ads</c>.</summary>
    public string? Campaign { get; set; }

    /// <summary>What happens to a call to this number; null keeps the default plan (notice, then voicemail off, nothing forwarded).</summary>
    public RoutingPlanOptions? Plan { get; set; }
}
