namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// The RFC 3261 §17 timer base values (T1, T2, T4) and every timer derived from them
/// (RFC 3261 Table 4, RFC 6026 §8.11). Immutable and validated on construction, so a
/// transaction never sees a nonsensical value.
/// </summary>
public sealed class SipTimerSettings
{
    /// <summary>RFC 3261 defaults: T1 500 ms, T2 4 s, T4 5 s, Timer D 32 s.</summary>
    public static readonly SipTimerSettings Default = new(
        TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));

    /// <summary>RFC 3261 §17.2.1: send 100 Trying if the TU has not sent a provisional within 200 ms.</summary>
    public static readonly TimeSpan TryingDelay = TimeSpan.FromMilliseconds(200);

    /// <param name="t1">RTT estimate; must be positive.</param>
    /// <param name="t2">Retransmit cap for non-INVITE requests and INVITE responses; must be at least <paramref name="t1"/>.</param>
    /// <param name="t4">Maximum time a message stays in the network; must be positive.</param>
    /// <param name="timerDUnreliable">Timer D over UDP. RFC 3261 §17.1.1.2 asks for at least 32 s, which is
    /// the default; it is not derived from T1 so it is a separate setting (tests may shorten it).</param>
    public SipTimerSettings(TimeSpan t1, TimeSpan t2, TimeSpan t4, TimeSpan? timerDUnreliable = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t1, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(t2, t1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t4, TimeSpan.Zero);
        var d = timerDUnreliable ?? TimeSpan.FromSeconds(32);
        ArgumentOutOfRangeException.ThrowIfLessThan(d, TimeSpan.Zero);
        // 64*T1 must stay representable as a timer due time.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(t1, TimeSpan.FromHours(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(t2, TimeSpan.FromHours(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(t4, TimeSpan.FromHours(1));
        T1 = t1;
        T2 = t2;
        T4 = t4;
        TimerDUnreliable = d;
    }

    public TimeSpan T1 { get; }

    public TimeSpan T2 { get; }

    public TimeSpan T4 { get; }

    public TimeSpan TimerDUnreliable { get; }

    /// <summary>Timer A initial interval (INVITE client retransmit, UDP only; doubles without cap).</summary>
    public TimeSpan TimerA => T1;

    /// <summary>Timer B: INVITE client transaction timeout, 64*T1.</summary>
    public TimeSpan TimerB => 64 * T1;

    /// <summary>Timer E initial interval (non-INVITE client retransmit, UDP only; doubles, capped at T2).</summary>
    public TimeSpan TimerE => T1;

    /// <summary>Timer F: non-INVITE client transaction timeout, 64*T1.</summary>
    public TimeSpan TimerF => 64 * T1;

    /// <summary>Timer G initial interval (INVITE server final-response retransmit over UDP; doubles, capped at T2).</summary>
    public TimeSpan TimerG => T1;

    /// <summary>Timer H: wait for ACK, 64*T1.</summary>
    public TimeSpan TimerH => 64 * T1;

    /// <summary>RFC 6026 Timer L: INVITE server Accepted state, 64*T1.</summary>
    public TimeSpan TimerL => 64 * T1;

    /// <summary>RFC 6026 Timer M: INVITE client Accepted state, 64*T1.</summary>
    public TimeSpan TimerM => 64 * T1;

    /// <summary>Timer D: client INVITE Completed wait; 0 on reliable transports.</summary>
    public TimeSpan TimerD(bool reliable) => reliable ? TimeSpan.Zero : TimerDUnreliable;

    /// <summary>Timer I: server INVITE Confirmed wait, T4; 0 on reliable transports.</summary>
    public TimeSpan TimerI(bool reliable) => reliable ? TimeSpan.Zero : T4;

    /// <summary>Timer J: server non-INVITE Completed wait, 64*T1; 0 on reliable transports.</summary>
    public TimeSpan TimerJ(bool reliable) => reliable ? TimeSpan.Zero : 64 * T1;

    /// <summary>Timer K: client non-INVITE Completed wait, T4; 0 on reliable transports.</summary>
    public TimeSpan TimerK(bool reliable) => reliable ? TimeSpan.Zero : T4;

    /// <summary>The next retransmit interval after <paramref name="current"/>: doubled, capped at T2 when asked.</summary>
    public TimeSpan NextInterval(TimeSpan current, bool capAtT2)
    {
        var doubled = current + current;
        return capAtT2 && doubled > T2 ? T2 : doubled;
    }
}
