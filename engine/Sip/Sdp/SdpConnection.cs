using System.Net;

namespace CallTracking.Engine.Sip.Sdp;

/// <summary>A <c>c=</c> line (RFC 4566 §5.7): <c>IN IP4 203.0.113.1</c>.</summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    public static SdpConnection ForAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new SdpConnection("IN", address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4", address.ToString());
    }

    /// <summary>
    /// The unspecified address (<c>0.0.0.0</c>, <c>::</c>): the RFC 2543 way of putting a
    /// call on hold, which RFC 3264 §8.4 still asks answerers to understand.
    /// </summary>
    public bool IsUnspecified => Address is "0.0.0.0" or "::";

    /// <summary>The address as an IP literal when the line is <c>IN IP4</c>/<c>IN IP6</c> with a literal of that family.</summary>
    public bool TryGetIPAddress(out IPAddress address)
    {
        address = IPAddress.None;
        if (!string.Equals(NetworkType, "IN", StringComparison.Ordinal) || !IPAddress.TryParse(Address, out var parsed))
        {
            return false;
        }

        var family = parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        if (!string.Equals(AddressType, family, StringComparison.Ordinal))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    public override string ToString() => $"c={NetworkType} {AddressType} {Address}";
}
