using System.Net;

namespace CallTracking.Engine.Sip.Trunks;

/// <summary>A carrier trunk as configured: its name and the networks its signalling comes from.</summary>
public sealed class Trunk
{
    public Trunk(string name, IReadOnlyList<IPNetwork> allow)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(allow);
        Name = name;
        Allow = allow;
    }

    public string Name { get; }

    /// <summary>Source networks admitted for this trunk (CIDR blocks).</summary>
    public IReadOnlyList<IPNetwork> Allow { get; }

    public override string ToString() => Name;
}
