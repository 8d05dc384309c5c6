using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// A UDP socket for sending hand-written SIP datagrams, including broken ones sipp cannot send, and reading
/// what comes back byte for byte.
/// </summary>
public sealed class RawSipUdp : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _remote;

    public RawSipUdp(int remotePort, IPAddress? localAddress = null)
    {
        _socket.Bind(new IPEndPoint(localAddress ?? IPAddress.Loopback, 0));
        _remote = new IPEndPoint(IPAddress.Loopback, remotePort);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public async Task SendAsync(string message) =>
        await _socket.SendToAsync(Encoding.ASCII.GetBytes(message), _remote).ConfigureAwait(false);

    /// <summary>The next datagram as text, or null when none came within <paramref name="timeout"/>.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var received = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cts.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _socket.Dispose();
}
