using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Configuration;

/// <summary>
/// A SIP listening socket as configured: <c>udp:0.0.0.0:5060</c>, <c>tcp:[::]:5060</c>,
/// <c>tcp:127.0.0.1:0</c> (port 0: the system picks one, for tests).
/// </summary>
public sealed record SipListenEndpoint(SipTransportKind Transport, IPAddress Address, int Port)
{
    /// <summary>Parses <c>transport:address:port</c>; IPv6 addresses go in brackets.</summary>
    /// <param name="error">Why the text is not an endpoint, for a configuration fault.</param>
    public static bool TryParse(string? text, out SipListenEndpoint endpoint, out string? error)
    {
        endpoint = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            error = "expected transport:address:port, e.g. udp:0.0.0.0:5060";
            return false;
        }

        var transportText = text.AsSpan(0, colon);
        SipTransportKind transport;
        if (transportText.Equals("udp", StringComparison.OrdinalIgnoreCase))
        {
            transport = SipTransportKind.Udp;
        }
        else if (transportText.Equals("tcp", StringComparison.OrdinalIgnoreCase))
        {
            transport = SipTransportKind.Tcp;
        }
        else if (transportText.Equals("tls", StringComparison.OrdinalIgnoreCase))
        {
            transport = SipTransportKind.Tls;
        }
        else
        {
            error = "transport must be udp, tcp or tls";
            return false;
        }

        var rest = text.AsSpan(colon + 1);
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> portText;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0 || close + 1 >= rest.Length || rest[close + 1] != ':')
            {
                error = "expected [IPv6 address]:port";
                return false;
            }

            host = rest[1..close];
            portText = rest[(close + 2)..];
            if (!AddressSyntax.TryParseIp(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = "address in brackets must be an IPv6 address";
                return false;
            }
        }
        else
        {
            var lastColon = rest.LastIndexOf(':');
            if (lastColon < 0)
            {
                error = "expected transport:address:port, e.g. udp:0.0.0.0:5060";
                return false;
            }

            host = rest[..lastColon];
            portText = rest[(lastColon + 1)..];
            if (host.Contains(':'))
            {
                error = "IPv6 addresses must be written in brackets, e.g. tcp:[::]:5060";
                return false;
            }
        }

        if (!AddressSyntax.TryParseIp(host, out var address))
        {
            error = "address must be an IP address (use 0.0.0.0 or [::] for all interfaces)";
            return false;
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            error = "port must be 0-65535";
            return false;
        }

        endpoint = new SipListenEndpoint(transport, address, port);
        error = null;
        return true;
    }

    public override string ToString()
    {
        var transport = Transport switch
        {
            SipTransportKind.Udp => "udp",
            SipTransportKind.Tcp => "tcp",
            _ => "tls",
        };
        return Address.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"{transport}:[{Address}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{transport}:{Address}:{Port}");
    }
}
