using System.Net;

namespace CallTracking.Engine.Sip.Outbound.Dns;

/// <summary>The <c>nameserver</c> lines of resolv.conf(5).</summary>
public static class ResolvConf
{
    public const string DefaultPath = "/etc/resolv.conf";

    public static IReadOnlyList<IPEndPoint> ReadNameServers(string path = DefaultPath)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        return Parse(File.ReadAllLines(path));
    }

    public static IReadOnlyList<IPEndPoint> Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var servers = new List<IPEndPoint>();
        foreach (var line in lines)
        {
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0] == "nameserver" && IPAddress.TryParse(parts[1].Split('%')[0], out var address))
            {
                servers.Add(new IPEndPoint(address, 53));
            }
        }

        return servers;
    }

    /// <summary>"127.0.0.1", "127.0.0.1:5353" or "[::1]:53" (the form of the <c>Sip:Dns:Servers</c> setting).</summary>
    public static bool TryParseServer(string text, out IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IPAddress.TryParse(text, out var address))
        {
            endPoint = new IPEndPoint(address, 53);
            return true;
        }

        return IPEndPoint.TryParse(text, out endPoint!);
    }
}
