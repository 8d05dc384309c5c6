namespace CallTracking.Engine.Sip.Core;

/// <summary>The knobs of the UAS core, taken from the validated configuration by the composition root.</summary>
public sealed record SipCoreOptions
{
    /// <summary>Our User-Agent and Server header value.</summary>
    public string UserAgent { get; init; } = "CallTracking";

    /// <summary>Host written in Contact and Via when the listener's own address is not what peers can reach (NAT).</summary>
    public string? PublicAddress { get; init; }

    /// <summary>IP written in the SDP <c>c=</c> line; the listener's address when null.</summary>
    public string? MediaAddress { get; init; }

    /// <summary>How long a call rings (180 Ringing) before it is answered; zero answers at once.</summary>
    public TimeSpan AnswerDelay { get; init; } = TimeSpan.Zero;

    /// <summary>RFC 4028 interval we ask for when the caller did not.</summary>
    public int SessionExpiresSeconds { get; init; } = 1800;

    /// <summary>RFC 4028 smallest interval we accept.</summary>
    public int MinSESeconds { get; init; } = 90;

    /// <summary>Folder recordings go under (<c>yyyy/MM/dd/&lt;call-id&gt;.opus</c>); null records nothing.</summary>
    public string? RecordingsPath { get; init; }

    /// <summary>No RTP for this long ends the call with BYE; <see cref="Timeout.InfiniteTimeSpan"/> never.</summary>
    public TimeSpan MediaInactivity { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Latch RTP from any source (NATed carriers) instead of only the address the SDP named.</summary>
    public bool LatchAnySource { get; init; }

    /// <summary>How long shutdown waits for the answers to the BYEs it sends.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(2);
}
