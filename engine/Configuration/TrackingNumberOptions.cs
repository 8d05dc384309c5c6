namespace CallTracking.Engine.Configuration;

/// <summary>One entry of the <c>Numbers</c> list.</summary>
public sealed class TrackingNumberOptions
{
    /// <summary>E.164 number, e.g. <c>+15551230001</c>.</summary>
    public string? Number { get; set; }

    /// <summary>What the number is published for, e.g. <c>Google Ads</c>; defaults to the number.</summary>
    public string? Name { get; set; }
}
