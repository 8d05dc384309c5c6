namespace CallTracking.Engine.Privacy;

/// <summary>
/// Where privacy operations (deletions, exports, erasures, retention sweeps, key rotation) report themselves. The
/// default (<see cref="LoggingAuditSink"/>) writes a log line; the hash-chained audit trail replaces it.
/// </summary>
public interface IAuditSink
{
    /// <param name="action">What happened, e.g. <c>recording.deleted</c>, <c>subject.erased</c>.</param>
    /// <param name="organisationId">The organisation whose data it was; null for engine-wide actions.</param>
    /// <param name="actor">Who: <c>api-key:PREFIX</c>, <c>user:NAME</c>, <c>cli</c>, <c>retention</c>.</param>
    /// <param name="subject">What it was done to: a call id, a caller number, an organisation name.</param>
    /// <param name="details">Anything else worth keeping (serialised as JSON by the sink).</param>
    Task RecordAsync(string action, Guid? organisationId, string actor, string subject, object? details, CancellationToken cancellationToken);
}
