namespace CallTracking.Engine.Tracking.Dni;

/// <summary>
/// What a visitor's page shows: the session, the number to put in place of <see cref="SwapNumbers"/> (null: keep
/// the page's own), how it was chosen (<c>pool</c>, <c>static</c>, <c>unassigned</c> — the pool was exhausted and
/// this is its fallback — or <c>none</c>), and until when the lease holds without a heartbeat.
/// </summary>
public sealed record DniAssignment(
    Guid SessionId,
    string VisitorId,
    string Assignment,
    string? Number,
    IReadOnlyList<string> SwapNumbers,
    int HeartbeatSeconds,
    DateTimeOffset? LeaseExpiresAt);
