namespace CallTracking.Engine.Storage;

/// <summary>An outbound leg (the engine dialling a destination). <see cref="LegId"/> is chosen by the caller.</summary>
public sealed record CallLegStarted(Guid CallId, Guid OrganisationId, string Destination, DateTimeOffset StartedAt)
{
    public Guid LegId { get; init; } = Guid.CreateVersion7();

    public string? Trunk { get; init; }

    public string? SipCallId { get; init; }
}
