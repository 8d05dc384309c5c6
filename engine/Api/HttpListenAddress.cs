using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace CallTracking.Engine.Api;

/// <summary>
/// <c>Http:Listen</c>: <c>http://ADDRESS:PORT</c>, where ADDRESS is an IP address (IPv6 in
/// brackets), <c>localhost</c> (loopback) or <c>*</c> (every address); port 0 picks a free port.
/// </summary>
public sealed record HttpListenAddress(IPAddress Address, int Port)
{
    public const string ConfigurationKey = "Http:Listen";
    public const string Default = "http://127.0.0.1:8080";

    public static bool TryParse(string? text, [NotNullWhen(true)] out HttpListenAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        text = string.IsNullOrWhiteSpace(text) ? Default : text.Trim();
        const string expected = "expected http://ADDRESS:PORT, e.g. http://127.0.0.1:8080";
        if (!text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            error = text.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                ? $"\"{text}\": HTTPS is not supported here; put a TLS-terminating proxy in front ({expected})"
                : $"\"{text}\": {expected}";
            return false;
        }

        var hostPort = text["http://".Length..].TrimEnd('/');
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || hostPort.EndsWith(']'))
        {
            error = $"\"{text}\": no port ({expected})";
            return false;
        }

        var host = hostPort[..colon];
        if (!int.TryParse(hostPort[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"\"{text}\": the port must be a number from 0 to 65535";
            return false;
        }

        IPAddress? ip = host switch
        {
            "*" or "+" => IPAddress.IPv6Any,
            _ when host.Equals("localhost", StringComparison.OrdinalIgnoreCase) => IPAddress.Loopback,
            _ => IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : null,
        };
        if (ip is null)
        {
            error = $"\"{text}\": \"{host}\" is not an IP address, localhost or *";
            return false;
        }

        address = new HttpListenAddress(ip, port);
        error = null;
        return true;
    }
}
