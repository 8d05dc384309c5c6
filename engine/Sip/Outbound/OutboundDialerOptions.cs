namespace CallTracking.Engine.Sip.Outbound;

/// <summary>The knobs of the outbound dialer, from the validated configuration.</summary>
public sealed record OutboundDialerOptions
{
    /// <summary>Our User-Agent header value.</summary>
    public string UserAgent { get; init; } = "CallTracking";

    /// <summary>Host written in Contact and Via when the listener's own address is not what peers can reach (NAT).</summary>
    public string? PublicAddress { get; init; }

    /// <summary>Send P-Asserted-Identity with the presented caller (RFC 3325), for trunks that trust us.</summary>
    public bool SendPAssertedIdentity { get; init; }
}
