namespace CallTracking.Engine.Privacy;

/// <summary>One call from a caller number, as a data-subject request finds it.</summary>
public sealed record SubjectCall(
    Guid CallId,
    Guid OrganisationId,
    string Organisation,
    DateTimeOffset StartedAt,
    string TrackingNumber,
    string? Disposition,
    int Recordings,
    int Transcripts,
    bool Attribution,
    int Events);
