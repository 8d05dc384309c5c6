namespace CallTracking.Engine.Configuration;

/// <summary>The <c>BusinessHours</c> section of a plan.</summary>
public sealed class BusinessHoursOptions
{
    /// <summary>IANA time zone, e.g. <c>America/New_York</c>; defaults to the organisation's.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Day (<c>mon</c> … <c>sun</c>) to hours: <c>08:00-18:00</c>, several ranges separated by commas, or <c>closed</c>. Days not listed are closed.</summary>
    public IDictionary<string, string> Schedule { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The plan that runs outside these hours; without one, the number's plan runs at all hours and only <see cref="BusinessHours.IsOpen"/> tells.</summary>
    public RoutingPlanOptions? Outside { get; set; }
}
