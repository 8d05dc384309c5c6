using System.Buffers;
using System.Net;
using System.Net.Sockets;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;

namespace CallTracking.Tests.Sip.Transport;

/// <summary>A TCP client (or an accepted socket) that frames what it reads with the engine's own parser.</summary>
internal sealed class TcpTestPeer : SipTestPeer
{
    private readonly Socket _socket;
    private readonly SipMessage _message = new();
    private byte[] _pending = [];

    private TcpTestPeer(Socket socket) => _socket = socket;

    public override IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public Socket Socket => _socket;

    public static async Task<TcpTestPeer> ConnectAsync(IPEndPoint server, int? receiveBufferSize = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            // Set before connecting so the advertised window is small too.
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(server);
        return new TcpTestPeer(socket);
    }

    public static TcpTestPeer Wrap(Socket accepted) => new(accepted);

    public override async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _socket.SendAsync(bytes);

    /// <summary>Writes <paramref name="bytes"/> one byte per send (Nagle is off, so most arrive as separate segments).</summary>
    public async Task SendByteByByteAsync(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            await _socket.SendAsync(bytes.AsMemory(i, 1));
        }
    }

    public override async Task<byte[]> ReceiveMessageAsync()
    {
        using var timeout = new CancellationTokenSource(RecordingHandler.Timeout);
        while (true)
        {
            var input = new ReadOnlySequence<byte>(_pending);
            if (SipParser.TryParse(input, isDatagram: false, _message, out var consumed, out _) != SipParseStatus.Incomplete)
            {
                var length = (int)input.Slice(0, consumed).Length;
                var message = _pending[..length];
                _pending = _pending[length..];
                return message;
            }

            var chunk = new byte[8192];
            var read = await _socket.ReceiveAsync(chunk, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                throw new IOException($"EOF with {_pending.Length} bytes of an incomplete message");
            }

            _pending = [.. _pending, .. chunk.AsSpan(0, read)];
        }
    }

    /// <summary>Reads until the transport closes its side; returns whatever came before the EOF.</summary>
    public async Task<int> ReadToEndAsync()
    {
        using var timeout = new CancellationTokenSource(RecordingHandler.Timeout);
        var total = _pending.Length;
        _pending = [];
        var chunk = new byte[8192];
        while (true)
        {
            var read = await _socket.ReceiveAsync(chunk, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                return total;
            }

            total += read;
        }
    }

    public override ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _message.Dispose();
        return ValueTask.CompletedTask;
    }
}
