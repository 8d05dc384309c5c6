using System.Net;

namespace CallTracking.Engine.Sip.Trunks;

/// <summary>
/// A carrier trunk as configured: its name, the networks its signalling comes from, the credentials its
/// INVITEs must carry (if any) and where forwarded calls leave through it (if anywhere).
/// </summary>
public sealed class Trunk
{
    public Trunk(string name, IReadOnlyList<IPNetwork> allow, TrunkCredentials? inbound = null, OutboundTrunkSettings? outbound = null, string? preset = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(allow);
        Name = name;
        Allow = allow;
        Inbound = inbound;
        Outbound = outbound;
        Preset = preset;
    }

    public string Name { get; }

    /// <summary>Source networks admitted for this trunk (CIDR blocks), the preset's included; empty for an outbound-only trunk.</summary>
    public IReadOnlyList<IPNetwork> Allow { get; }

    /// <summary>Digest credentials inbound INVITEs must carry; null when the source address is enough.</summary>
    public TrunkCredentials? Inbound { get; }

    /// <summary>Where forwarded calls leave through this trunk; null for an inbound-only trunk.</summary>
    public OutboundTrunkSettings? Outbound { get; }

    /// <summary>The preset the trunk was configured with (<c>twilio</c>), lower case; null for none.</summary>
    public string? Preset { get; }

    public override string ToString() => Name;
}
