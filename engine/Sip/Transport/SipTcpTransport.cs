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

    // Guards opening outbound connections against each other and against disposal.
    private readonly Lock _opening = new();
    private bool _disposed;
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
        if (remote.ConnectionId != 0 && _connections.TryGetValue(remote.ConnectionId, out var named))
        {
            return named.TrySend(message);
        }

        SipTcpConnection? connection;
        var opened = false;

        // Finding and opening happen under one lock so that two requests to a new address share one connection,
        // and so that no connection is opened once disposal has begun.
        lock (_opening)
        {
            if (_disposed)
            {
                connection = null;
            }
            else
            {
                connection = Find(remote.EndPoint);
                if (connection is null)
                {
                    connection = SipTcpConnection.Outbound(Interlocked.Increment(ref _lastConnectionId), remote.EndPoint, Listener, _handler, _metrics, _logger);
                    _connections[connection.Id] = connection;
                    opened = true;
                }
            }
        }

        if (opened)
        {
            // Started outside the lock: a connection may deliver messages (run the handler) before Start returns.
            Run(connection!);
        }

        if (connection is null)
        {
            _metrics.SendFailed(SipTransportKind.Tcp);
            return false;
        }

        return connection.TrySend(message);
    }

    private SipTcpConnection? Find(IPEndPoint remote)
    {
        foreach (var open in _connections.Values)
        {
            if (open.Remote.Equals(remote))
            {
                return open;
            }
        }

        return null;
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

            SipTcpConnection accepted;
            lock (_opening)
            {
                if (_disposed)
                {
                    socket.Dispose();
                    break;
                }

                accepted = SipTcpConnection.Accepted(Interlocked.Increment(ref _lastConnectionId), socket, Listener, _handler, _metrics, _logger);
                _connections[accepted.Id] = accepted;
            }

            Run(accepted);
        }
    }

    private void Run(SipTcpConnection connection)
    {
        connection.Start();
        _ = connection.Completion.ContinueWith(
            (_, state) => ((ConcurrentDictionary<long, SipTcpConnection>)state!).TryRemove(connection.Id, out SipTcpConnection? _),
            _connections,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Stops accepting, then closes every connection at once, each after what is queued on it has been written
    /// (bounded by <see cref="SipTcpConnection.DrainTimeout"/>).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_opening)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listenSocket.Dispose();
        await _accepting.ConfigureAwait(false);
        await Task.WhenAll(_connections.Values.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting a SIP TCP connection failed: {Error}")]
    private partial void LogAcceptFailed(SocketError error);
}
