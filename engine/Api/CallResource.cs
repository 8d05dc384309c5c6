namespace CallTracking.Engine.Api;

/// <summary>A call as the API shows it. <see cref="Disposition"/> is null while the call is in progress; <see cref="Legs"/> only in <c>GET /v1/calls/{id}</c>.</summary>
public sealed record CallResource(
    Guid Id,
    Guid OrganisationId,
    Guid? TrackingNumberId,
    string TrackingNumber,
    Guid? CampaignId,
    string? Trunk,
    string SipCallId,
    string? TwilioCallSid,
    string? CallerNumber,
    string? CallerName,
    string? CallerCountry,
    string? CallerRegion,
    DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    decimal? RingSeconds,
    decimal? TalkSeconds,
    string? Disposition,
    string? HangupBy,
    string? SipReason,
    long? PacketsLost,
    double? JitterMs,
    double? Mos,
    bool HasRecording)
{
    public IReadOnlyList<CallLegResource>? Legs { get; init; }

    /// <summary>What produced the call (dynamic number insertion); only in <c>GET /v1/calls/{id}</c>, null when not attributed.</summary>
    public CallAttributionResource? Attribution { get; init; }
}
