namespace CallTracking.Engine.Privacy;

/// <summary>
/// What <see cref="AuditTrail.VerifyAsync"/> found: <see cref="Checked"/> entries walked; when the chain is broken,
/// the sequence number where it first breaks and why (an entry changed, removed or out of order).
/// </summary>
public sealed record AuditVerification(long Checked, long? BrokenAt, string? Problem)
{
    public bool Intact => BrokenAt is null;
}
