using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Transport;

/// <summary>
/// A TCP listener and every connection it accepted or opened. Responses go back on the connection the request
/// came in on (RFC 3261 §18.2.2); requests we originate reuse an open connection to the same address before
/// opening a new one.
/// </summary>
public sealed partial class SipTcpTransport : IAsyncDisposable
{
    private readonly Socket _listenSocket;
    private readonly ISipMessageHandler _handler;
    private readonly SipTransportMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, SipTcpConnection> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _lastConnectionId;
    private Task _accepting = Task.CompletedTask;

    private SipTcpTransport(Socket listenSocket, ISipMessageHandler handler, SipTransportMetrics metrics, ILogger logger)
    {
        _listenSocket = listenSocket;
        _handler = handler;
        _metrics = metrics;
        _logger = logger;
        Listener = new SipListener(SipTransportKind.Tcp, (IPEndPoint)listenSocket.LocalEndPoint!);
    }

    public SipListener Listener { get; }

    public int ConnectionCount => _connections.Count;

    public static SipTcpTransport Bind(IPEndPoint endPoint, ISipMessageHandler handler, SipTransportMetrics metrics, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new SipTcpTransport(socket, handler, metrics, logger);
    }

    public void Start() => _accepting = AcceptLoopAsync();

    /// <summary>
    /// Sends on the connection named by <see cref="SipRemote.ConnectionId"/>, else on any open connection to the
    /// same address, else on a new connection (the message waits in its queue while it connects).
    /// </summary>
    public bool TrySend(ReadOnlySpan<byte> message, in SipRemote remote)
    {
        if (_stopping.IsCancellationRequested)
        {
            return false;
        }

        if (remote.ConnectionId != 0 && _connections.TryGetValue(remote.ConnectionId, out var named))
        {
            return named.TrySend(message);
        }

        foreach (var open in _connections.Values)
        {
            if (open.Remote.Equals(remote.EndPoint))
            {
                return open.TrySend(message);
            }
        }

        var connection = SipTcpConnection.Outbound(Interlocked.Increment(ref _lastConnectionId), remote.EndPoint, Listener, _handler, _metrics, _logger);
        Track(connection);
        return connection.TrySend(message);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listenSocket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException e)
            {
                // Out of descriptors or a connection reset during the handshake: log and keep accepting.
                LogAcceptFailed(e.SocketErrorCode);
                continue;
            }

            Track(SipTcpConnection.Accepted(Interlocked.Increment(ref _lastConnectionId), socket, Listener, _handler, _metrics, _logger));
        }
    }

    private void Track(SipTcpConnection connection)
    {
        _connections[connection.Id] = connection;
        connection.Start();
        _ = connection.Completion.ContinueWith(
            (_, state) => ((ConcurrentDictionary<long, SipTcpConnection>)state!).TryRemove(connection.Id, out SipTcpConnection? _),
            _connections,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Stops accepting, then closes every connection after what is queued on it has been written.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listenSocket.Dispose();
        await _accepting.ConfigureAwait(false);
        foreach (var connection in _connections.Values)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting a SIP TCP connection failed: {Error}")]
    private partial void LogAcceptFailed(SocketError error);
}
