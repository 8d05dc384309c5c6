namespace CallTracking.Engine.Privacy;

/// <summary>One row of <c>audit_log</c>. <see cref="Details"/> is canonical JSON (<see cref="AuditChain.CanonicalJson"/>) or null.</summary>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    Guid? OrganisationId,
    string Action,
    string Subject,
    string? Details,
    byte[] PreviousHash,
    byte[] Hash);
