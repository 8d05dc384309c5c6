namespace CallTracking.Engine.Configuration;

/// <summary>An organisation (agency or client) from <c>Organisations</c>, or implied by a number naming it.</summary>
/// <param name="Name">Its name, unique without regard to case.</param>
/// <param name="Parent">Name of the parent organisation, or null for a top-level one.</param>
/// <param name="TimeZone">Its time zone; null when not configured.</param>
/// <param name="IsImplicit">True when only a number named it.</param>
public sealed record OrganisationSettings(string Name, string? Parent, TimeZoneInfo? TimeZone, bool IsImplicit);
