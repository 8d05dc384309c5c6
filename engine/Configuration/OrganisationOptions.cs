namespace CallTracking.Engine.Configuration;

/// <summary>One entry of the <c>Organisations</c> list: an agency or one of its clients.</summary>
public sealed class OrganisationOptions
{
    public string? Name { get; set; }

    /// <summary>Name of the parent organisation (the agency), if any.</summary>
    public string? Parent { get; set; }

    /// <summary>IANA time zone used for reports and as the default for business hours.</summary>
    public string? TimeZone { get; set; }
}
