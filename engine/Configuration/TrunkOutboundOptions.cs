namespace CallTracking.Engine.Configuration;

/// <summary>The <c>Trunks:N:Outbound</c> section: where the engine sends the calls it forwards.</summary>
public sealed class TrunkOutboundOptions
{
    /// <summary>SIP URI of the carrier, e.g. <c>sip:office.pstn.twilio.com</c>.</summary>
    public string? Uri { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary><c>udp</c> (default) or <c>tcp</c>.</summary>
    public string Transport { get; set; } = "udp";

    /// <summary><c>caller</c> (default): the business sees the caller's number; <c>tracking-number</c>: the number dialled.</summary>
    public string CallerId { get; set; } = "caller";

    /// <summary>Header carrying the tracking number to the business: <c>Diversion</c> (RFC 5806, default) or a header name such as <c>X-Tracking-Number</c>.</summary>
    public string TrackingNumberHeader { get; set; } = "Diversion";

    /// <summary>OPTIONS keep-alive interval towards the carrier, 15–30 seconds; 0 sends none.</summary>
    public int OptionsIntervalSeconds { get; set; } = 20;
}
