using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CallTracking.Engine.Configuration;

/// <summary>
/// Strict address syntax for configuration. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
/// accepts legacy forms such as <c>10.1</c> or <c>0x7f.1</c>; an operator who writes those
/// almost certainly made a typo, so IPv4 must be four decimal octets here.
/// </summary>
internal static class AddressSyntax
{
    public static bool TryParseIp(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.IsEmpty || text.Contains('%'))
        {
            return false;
        }

        if (text.Contains(':'))
        {
            if (IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = v6;
                return true;
            }

            return false;
        }

        return IsDottedQuad(text) && IPAddress.TryParse(text, out address!);
    }

    /// <summary>An IP literal, or a host name made of RFC 1123 §2.1 labels.</summary>
    public static bool IsIpOrHostName(string text) => TryParseIp(text, out _) || IsHostName(text);

    public static bool IsHostName(ReadOnlySpan<char> text)
    {
        if (text.EndsWith('.'))
        {
            text = text[..^1];
        }

        if (text.IsEmpty || text.Length > 253)
        {
            return false;
        }

        var allDigitsOrDots = true;
        foreach (var range in text.Split('.'))
        {
            var label = text[range];
            if (label.IsEmpty || label.Length > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }

                allDigitsOrDots &= char.IsAsciiDigit(c);
            }
        }

        // 300.1.1.1 is a mistyped address, not a host name.
        return !allDigitsOrDots;
    }

    private static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (part.IsEmpty || part.Length > 3 || part.ContainsAnyExceptInRange('0', '9') || int.Parse(part, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }

            parts++;
        }

        return parts == 4;
    }
}
