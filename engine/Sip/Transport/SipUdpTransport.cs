using System.Buffers;
using System.Net;
using System.Net.Sockets;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Transport;

/// <summary>
/// One bound UDP socket. A few receive loops (about one per core) read datagrams into buffers they own,
/// frame each datagram as exactly one message (RFC 3261 §18.3) and hand it to the layer above on the
/// receiving thread. Sends are synchronous <c>sendto</c> calls, which never block on UDP.
/// </summary>
public sealed partial class SipUdpTransport : IAsyncDisposable
{
    // RFC 3261 §18.1.1 lets UDP carry up to 65,535 bytes; anything larger cannot arrive.
    private const int MaxDatagram = 65_535;

    private readonly Socket _socket;
    private readonly ISipMessageHandler _handler;
    private readonly SipTransportMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _loops = [];

    private SipUdpTransport(Socket socket, ISipMessageHandler handler, SipTransportMetrics metrics, ILogger logger)
    {
        _socket = socket;
        _handler = handler;
        _metrics = metrics;
        _logger = logger;
        Listener = new SipListener(SipTransportKind.Udp, (IPEndPoint)socket.LocalEndPoint!);
    }

    public SipListener Listener { get; }

    /// <summary>Binds the socket now, so a port in use is a start-up error rather than a silent failure later.</summary>
    public static SipUdpTransport Bind(IPEndPoint endPoint, ISipMessageHandler handler, SipTransportMetrics metrics, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            // Absorb bursts (a trunk failing over sends many INVITEs at once) rather than dropping in the kernel.
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.SendBufferSize = 1024 * 1024;
            socket.Bind(endPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new SipUdpTransport(socket, handler, metrics, logger);
    }

    public void Start(int receiveLoops)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(receiveLoops, 1);
        _loops = new Task[receiveLoops];
        for (var i = 0; i < receiveLoops; i++)
        {
            _loops[i] = Task.Run(ReceiveLoopAsync);
        }
    }

    public bool TrySend(ReadOnlySpan<byte> message, IPEndPoint remote)
    {
        try
        {
            _socket.SendTo(message, SocketFlags.None, remote);
            _metrics.Sent(SipTransportKind.Udp);
            return true;
        }
        catch (SocketException e)
        {
            _metrics.SendFailed(SipTransportKind.Udp);
            LogSendFailed(remote, e.SocketErrorCode);
            return false;
        }
        catch (ObjectDisposedException)
        {
            _metrics.SendFailed(SipTransportKind.Udp);
            return false;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var token = _stopping.Token;
        var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        using var message = new SipMessage();
        var address = new SocketAddress(_socket.AddressFamily);

        // Most datagrams come from the few trunk addresses we talk to: keep the last one so that
        // turning a socket address into an IPEndPoint does not allocate for every message.
        var lastAddress = new SocketAddress(_socket.AddressFamily);
        IPEndPoint? lastEndPoint = null;
        try
        {
            while (!token.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = await _socket.ReceiveFromAsync(buffer.AsMemory(0, MaxDatagram), SocketFlags.None, address, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (SocketException) when (token.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize or SocketError.NetworkReset)
                {
                    // ICMP errors from earlier sends surface here on some stacks; they are not about this socket.
                    continue;
                }
                catch (SocketException e)
                {
                    // Anything else is unexpected, but a receive loop that dies takes the listener down silently.
                    LogReceiveFailed(e.SocketErrorCode);
                    continue;
                }

                if (IsKeepAlive(buffer.AsSpan(0, length)))
                {
                    continue;
                }

                if (lastEndPoint is null || !address.Equals(lastAddress))
                {
                    address.Buffer.Span.CopyTo(lastAddress.Buffer.Span);
                    lastEndPoint = (IPEndPoint)Listener.LocalEndPoint.Create(address);
                }

                _metrics.Received(SipTransportKind.Udp);
                var source = new SipRemote(SipTransportKind.Udp, lastEndPoint);
                var status = SipParser.TryParse(new ReadOnlySequence<byte>(buffer, 0, length), isDatagram: true, message, out _, out var error);
                if (status != SipParseStatus.Complete)
                {
                    _metrics.ParseFailed(SipTransportKind.Udp);
                }

                try
                {
                    _handler.OnReceived(message, status, error, source, Listener);
                }
#pragma warning disable CA1031 // A bug above the transport must cost one message, not the listener.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogHandlerFailed(e, source.EndPoint);
                }
                finally
                {
                    message.Reset();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // RFC 5626 §3.5.1 CRLF keep-alives, and empty datagrams some devices send to hold NAT bindings.
    private static bool IsKeepAlive(ReadOnlySpan<byte> datagram) => datagram.IndexOfAnyExcept("\r\n \t\0"u8) < 0;

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "UDP send to {Remote} failed: {Error}")]
    private partial void LogSendFailed(IPEndPoint remote, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "UDP receive failed: {Error}")]
    private partial void LogReceiveFailed(SocketError error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message from {Remote} failed")]
    private partial void LogHandlerFailed(Exception exception, IPEndPoint remote);
}
