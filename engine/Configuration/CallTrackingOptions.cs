namespace CallTracking.Engine.Configuration;

/// <summary>
/// The configuration as operators write it (appsettings.json, <c>--config</c>,
/// <c>CALLTRACKING_*</c> variables, <c>--Section:Key=value</c>), before validation.
/// The engine uses <see cref="EngineSettings"/>, never these.
/// </summary>
public sealed class CallTrackingOptions
{
    public SipOptions Sip { get; set; } = new();

    public MediaOptions Media { get; set; } = new();

    public IList<TrunkOptions> Trunks { get; } = [];

    public IList<TrackingNumberOptions> Numbers { get; } = [];

    public DataOptions Data { get; set; } = new();

    public DatabaseOptions Database { get; set; } = new();

    public IList<OrganisationOptions> Organisations { get; } = [];

    public GrpcOptions Grpc { get; set; } = new();

    public EventsOptions Events { get; set; } = new();
}
