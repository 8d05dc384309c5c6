namespace CallTracking.Engine.Tracking.Dni;

/// <summary>A website that includes <c>/dni.js</c> (<c>dni_sites</c>), as the public endpoints need it.</summary>
public sealed record DniSite(Guid Id, Guid OrganisationId, string Name, IReadOnlyList<string> AllowedOrigins, IReadOnlyList<string> SwapNumbers, int HeartbeatSeconds)
{
    /// <summary>Whether a page of <paramref name="origin"/> (the Origin header, <c>scheme://host[:port]</c>) may call the public endpoints.</summary>
    public bool Allows(string origin) =>
        AllowedOrigins.Any(allowed => string.Equals(allowed.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}
