namespace CallTracking.Engine.Storage;

/// <summary>
/// A new inbound call. <see cref="CallId"/> is chosen by the caller (a version-7 uuid by default) so that later
/// writes for the call can be queued before this one reaches the database.
/// </summary>
public sealed record CallStarted(Guid OrganisationId, string TrackingNumber, string SipCallId, DateTimeOffset StartedAt)
{
    public Guid CallId { get; init; } = Guid.CreateVersion7();

    public Guid? TrackingNumberId { get; init; }

    public Guid? CampaignId { get; init; }

    /// <summary>The name of the trunk that admitted the call.</summary>
    public string? Trunk { get; init; }

    public string? TwilioCallSid { get; init; }

    public string? CallerNumber { get; init; }

    public string? CallerName { get; init; }

    public string? CallerCountry { get; init; }

    public string? CallerRegion { get; init; }
}
