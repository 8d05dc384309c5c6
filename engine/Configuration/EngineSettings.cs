using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Tracking;

namespace CallTracking.Engine.Configuration;

/// <summary>
/// The validated, immutable configuration the engine runs on; produced only by
/// <see cref="EngineSettingsValidator"/>, so every value in it has been checked.
/// </summary>
public sealed record EngineSettings(
    SipSettings Sip,
    MediaSettings Media,
    IReadOnlyList<Trunk> Trunks,
    IReadOnlyList<TrackingNumber> Numbers,
    string DataPath,
    DatabaseSettings? Database = null)
{
    /// <summary>The validated <c>Database</c> section; the embedded cluster when none was given.</summary>
    public DatabaseSettings Database { get; init; } = Database ?? DatabaseSettings.Embedded;

    /// <summary>Organisations listed under <c>Organisations</c> and those only numbers name (implicit), in that order.</summary>
    public IReadOnlyList<OrganisationSettings> Organisations { get; init; } = [];

    /// <summary>The validated <c>Grpc</c> section (the HTTP/2 listener).</summary>
    public GrpcSettings Grpc { get; init; } = GrpcSettings.Default;

    /// <summary>The validated <c>Events</c> section.</summary>
    public EventsSettings Events { get; init; } = EventsSettings.Default;
}
