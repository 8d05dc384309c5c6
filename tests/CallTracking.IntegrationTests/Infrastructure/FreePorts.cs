using System.Net;
using System.Net.Sockets;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// Picks ports on 127.0.0.1 that are free for both UDP and TCP right now.
/// The operating system hands out an ephemeral port (bind to port 0), we check
/// the other protocol on the same number, release both and remember the number
/// so that tests running in parallel in this process never get it twice.
/// </summary>
public static class FreePorts
{
    // Shared by every test in the process on purpose: the reservation set is
    // what keeps parallel tests apart. Guarded by Gate.
    private static readonly HashSet<int> Reserved = [];
    private static readonly Lock Gate = new();

    /// <summary>One port free for UDP and TCP on 127.0.0.1.</summary>
    public static int Next() => NextRange(1);

    /// <summary>
    /// <paramref name="count"/> consecutive ports, each free for UDP and TCP; returns the first.
    /// sipp's media port needs this: it binds the port and the ones above it (RTCP, video).
    /// </summary>
    public static int NextRange(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = EphemeralUdpPort();
            if (first + count - 1 > IPEndPoint.MaxPort)
            {
                continue;
            }

            lock (Gate)
            {
                var all = Enumerable.Range(first, count).ToArray();
                if (all.Any(Reserved.Contains) || !all.All(IsFree))
                {
                    continue;
                }

                Reserved.UnionWith(all);
                return first;
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free UDP+TCP ports found on 127.0.0.1.");
    }

    private static int EphemeralUdpPort()
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)udp.LocalEndPoint!).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
