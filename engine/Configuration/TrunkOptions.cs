namespace CallTracking.Engine.Configuration;

/// <summary>One entry of the <c>Trunks</c> list.</summary>
public sealed class TrunkOptions
{
    public string? Name { get; set; }

    /// <summary><c>twilio</c> adds Twilio's published signalling ranges of every edge to <see cref="Allow"/>.</summary>
    public string? Preset { get; set; }

    /// <summary>CIDR blocks signalling may come from, e.g. <c>54.172.60.0/30</c>; a bare address means a single host.</summary>
    public IList<string> Allow { get; } = [];

    /// <summary>Digest credentials an inbound INVITE must carry (RFC 3261 §22); null admits by source address alone.</summary>
    public TrunkInboundOptions? Inbound { get; set; }

    /// <summary>Where calls to the business leave through this trunk; null for an inbound-only trunk.</summary>
    public TrunkOutboundOptions? Outbound { get; set; }
}
