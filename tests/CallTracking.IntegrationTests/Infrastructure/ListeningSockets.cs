using System.Globalization;
using System.Net;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// Whether some process on this machine has a UDP socket bound, or a TCP socket
/// listening, on an IPv4 address and port — read from /proc/net/{udp,tcp} so
/// that checking does not disturb the listener (no probe packet, no connection).
/// </summary>
public static class ListeningSockets
{
    private const string TcpListen = "0A";

    public static bool IsListening(SippTransport transport, IPAddress address, int port)
    {
        var table = transport == SippTransport.Tcp ? "/proc/net/tcp" : "/proc/net/udp";
        var portHex = port.ToString("X4", CultureInfo.InvariantCulture);
        var wanted = new[] { HexOf(address) + ":" + portHex, "00000000:" + portHex };
        foreach (var line in File.ReadLines(table).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || !wanted.Contains(fields[1], StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (transport == SippTransport.Udp || fields[3] == TcpListen)
            {
                return true;
            }
        }

        return false;
    }

    public static async Task WaitUntilListeningAsync(
        SippTransport transport, IPAddress address, int port, TimeSpan timeout, Func<bool> gaveUp)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!IsListening(transport, address, port))
        {
            if (gaveUp() || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Nothing listens on {transport} {address}:{port} after {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    // /proc/net prints the address as the host-order 32-bit number in hex:
    // 127.0.0.2 on a little-endian machine is 0200007F.
    private static string HexOf(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return Convert.ToHexString(bytes);
    }
}
