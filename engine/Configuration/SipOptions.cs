namespace CallTracking.Engine.Configuration;

/// <summary>The <c>Sip</c> section.</summary>
public sealed class SipOptions
{
    /// <summary>Endpoints as <c>transport:address:port</c>, e.g. <c>udp:0.0.0.0:5060</c> or <c>tcp:[::]:5060</c>.</summary>
    public IList<string> Listen { get; } = [];

    /// <summary>Address or host name to put in Via/Contact when behind NAT; null to use the listen address.</summary>
    public string? PublicAddress { get; set; }

    public SipTimersOptions Timers { get; set; } = new();

    /// <summary>Session-Expires we ask for (RFC 4028).</summary>
    public int SessionExpiresSeconds { get; set; } = 1800;

    /// <summary>Smallest session interval we accept (RFC 4028 §4: at least 90).</summary>
    public int MinSESeconds { get; set; } = 90;

    public string UserAgent { get; set; } = "CallTracking";

    /// <summary>How long a call rings (180 Ringing) before the engine answers it; 0 answers at once.</summary>
    public int AnswerDelayMs { get; set; }
}
