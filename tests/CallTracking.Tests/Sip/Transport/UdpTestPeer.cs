using System.Net;
using System.Net.Sockets;

namespace CallTracking.Tests.Sip.Transport;

/// <summary>A UDP socket connected to the transport, so sends and receives allocate nothing per datagram.</summary>
internal sealed class UdpTestPeer : SipTestPeer
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public UdpTestPeer(IPEndPoint server)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Connect(server);
    }

    public override IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Send(ReadOnlySpan<byte> bytes) => _socket.Send(bytes);

    public override async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _socket.SendAsync(bytes);

    public override async Task<byte[]> ReceiveMessageAsync()
    {
        var buffer = new byte[65_535];
        using var timeout = new CancellationTokenSource(RecordingHandler.Timeout);
        var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return buffer[..length];
    }

    public override ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
