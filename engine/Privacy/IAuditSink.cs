namespace CallTracking.Engine.Privacy;

/// <summary>
/// Where anything that must be on the audit trail reports it (<see cref="AuditTrail"/> in the engine). One entry per
/// call; the entry is durable (committed, chained) when the task completes.
/// </summary>
public interface IAuditSink
{
    /// <param name="action">What happened, a dotted name from <see cref="AuditActions"/> (e.g. <c>recording.download</c>).</param>
    /// <param name="organisationId">The organisation the action concerns; null for engine-wide actions.</param>
    /// <param name="actor">Who did it: <c>key:PREFIX</c>, <c>user:NAME</c>, <c>cli:OSUSER</c>, <c>link</c>, <c>dtmf</c>, <c>engine</c>.</param>
    /// <param name="subject">What it was done to: <c>call:UUID</c>, <c>key:PREFIX</c>, <c>plan:UUID</c>, <c>user:NAME</c>…</param>
    /// <param name="details">Anything else worth keeping (serialised to canonical JSON); null for nothing.</param>
    Task RecordAsync(string action, Guid? organisationId, string actor, string subject, object? details, CancellationToken cancellationToken);
}
