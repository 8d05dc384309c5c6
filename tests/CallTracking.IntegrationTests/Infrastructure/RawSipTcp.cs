using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>One TCP connection to the engine: writes hand-written SIP messages, reads whole messages back (RFC 3261 §18.3 framing by Content-Length).</summary>
public sealed class RawSipTcp : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly StringBuilder _pending = new();

    private RawSipTcp()
    {
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public static async Task<RawSipTcp> ConnectAsync(int remotePort)
    {
        var client = new RawSipTcp();
        client._socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await client._socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, remotePort)).ConfigureAwait(false);
        return client;
    }

    public async Task SendAsync(string message) =>
        await _socket.SendAsync(Encoding.ASCII.GetBytes(message)).ConfigureAwait(false);

    /// <summary>The next complete message, or null when none came within <paramref name="timeout"/> or the engine closed the connection.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[8192];
        while (true)
        {
            if (TryTakeMessage(out var message))
            {
                return message;
            }

            int read;
            try
            {
                read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    public void Dispose() => _socket.Dispose();

    private bool TryTakeMessage(out string message)
    {
        message = string.Empty;
        var text = _pending.ToString().TrimStart('\r', '\n');
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var length = 0;
        foreach (var line in text[..end].Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? line[..colon].Trim() : string.Empty;
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("l", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line[(colon + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        var total = end + 4 + length;
        if (text.Length < total)
        {
            return false;
        }

        message = text[..total];
        _pending.Clear().Append(text[total..]);
        return true;
    }
}
