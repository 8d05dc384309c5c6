namespace CallTracking.Engine.Sip.Dialogs;

/// <summary>
/// What a UAS answers about session timers (RFC 4028 §9). Either the request is rejected with 422 and our Min-SE,
/// or the 2xx carries <c>Session-Expires: Interval;refresher=…</c>, with <c>Require: timer</c> when the UAC
/// said it supports timers.
/// </summary>
public readonly record struct SessionTimerDecision(bool Reject, int IntervalSeconds, SessionRefresher Refresher, bool RequireTimer, int MinSESeconds)
{
    public static SessionTimerDecision TooSmall(int minSESeconds) => new(true, 0, SessionRefresher.None, false, minSESeconds);

    /// <summary>
    /// When a refresh from the other side is overdue and the session is dead (RFC 4028 §10: the side that is not
    /// the refresher sends BYE at the interval minus the lesser of 32 s and a third of it).
    /// </summary>
    public TimeSpan ExpiryWait => TimeSpan.FromSeconds(IntervalSeconds - Math.Min(32, IntervalSeconds / 3));

    /// <summary>When we, as refresher, send the refresh: half the interval (RFC 4028 §10).</summary>
    public TimeSpan RefreshWait => TimeSpan.FromSeconds(IntervalSeconds / 2.0);
}
