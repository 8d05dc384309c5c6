namespace CallTracking.Engine.Api;

public sealed record CallLegResource(
    Guid Id,
    string Direction,
    string? Destination,
    string? Trunk,
    string? SipCallId,
    DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    int? FinalStatus,
    string? Reason);
