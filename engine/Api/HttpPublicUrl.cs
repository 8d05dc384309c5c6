using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace CallTracking.Engine.Api;

/// <summary>
/// <c>Http:PublicUrl</c>: the engine's HTTP base URL as clients reach it (through a proxy, a host name), used in
/// links the engine hands out (signed recording links). Absent: the bound <c>Http:Listen</c> address.
/// </summary>
public static class HttpPublicUrl
{
    public const string ConfigurationKey = "Http:PublicUrl";

    /// <summary>Parses the configured value; true with a null <paramref name="url"/> when none is configured.</summary>
    public static bool TryParse(string? text, out Uri? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || parsed.Query.Length > 0
            || parsed.Fragment.Length > 0
            || parsed.UserInfo.Length > 0)
        {
            error = $"\"{text}\": expected an absolute http:// or https:// URL without query, e.g. https://calls.example.com";
            return false;
        }

        url = parsed;
        return true;
    }

    /// <summary>The default: the bound HTTP endpoint; a wildcard address becomes <c>localhost</c> (set Http:PublicUrl for anything else).</summary>
    public static Uri FromEndpoint(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)
            ? "localhost"
            : endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        return new Uri($"http://{host}:{endpoint.Port}/");
    }
}
