using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CallTracking.Engine.Configuration;

/// <summary>Parses allow-list entries into <see cref="IPNetwork"/>s with messages an operator can act on.</summary>
internal static class CidrBlock
{
    /// <summary>Parses <c>address/prefix</c>; a bare address is a single host (/32 or /128).</summary>
    public static bool TryParse(string? text, out IPNetwork network, out string? error)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text.AsSpan() : text.AsSpan(0, slash);
        if (!AddressSyntax.TryParseIp(addressText, out var address))
        {
            error = "expected address/prefix, e.g. 54.172.60.0/30";
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0
            && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            error = string.Create(
                CultureInfo.InvariantCulture,
                $"prefix length must be 0-{maxPrefix} for {(maxPrefix == 32 ? "IPv4" : "IPv6")}");
            return false;
        }

        // IPNetwork refuses a base address with bits set below the prefix; an operator
        // who wrote 54.172.60.1/30 most likely copied an address, so say what was meant.
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (8 * i), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        var masked = new IPAddress(bytes);
        if (!masked.Equals(address))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"host bits set; did you mean {masked}/{prefix}?");
            return false;
        }

        network = new IPNetwork(address, prefix);
        error = null;
        return true;
    }
}
