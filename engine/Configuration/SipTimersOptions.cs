namespace CallTracking.Engine.Configuration;

/// <summary>The <c>Sip:Timers</c> section: RFC 3261 §17.1.1.1 timer values in milliseconds.</summary>
public sealed class SipTimersOptions
{
    public int T1Ms { get; set; } = 500;

    public int T2Ms { get; set; } = 4000;

    public int T4Ms { get; set; } = 5000;
}
