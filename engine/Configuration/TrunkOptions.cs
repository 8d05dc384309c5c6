namespace CallTracking.Engine.Configuration;

/// <summary>One entry of the <c>Trunks</c> list.</summary>
public sealed class TrunkOptions
{
    public string? Name { get; set; }

    /// <summary>CIDR blocks signalling may come from, e.g. <c>54.172.60.0/30</c>; a bare address means a single host.</summary>
    public IList<string> Allow { get; } = [];
}
