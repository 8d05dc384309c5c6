namespace CallTracking.Engine.Configuration;

/// <summary>RFC 3261 §17.1.1.1 timers: T1 (RTT estimate), T2 (maximum non-INVITE retransmit interval), T4 (maximum message lifetime).</summary>
public sealed record SipTimerSettings(TimeSpan T1, TimeSpan T2, TimeSpan T4)
{
    public static SipTimerSettings Default { get; } =
        new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));
}
