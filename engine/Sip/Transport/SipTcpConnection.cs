using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Transport;

/// <summary>
/// One TCP connection, accepted or opened by us. Bytes are read into a <see cref="PipeReader"/> and framed by
/// Content-Length (RFC 3261 §18.3); outgoing messages are copied into pooled buffers and queued on a bounded
/// channel that one writer drains, so any thread can send without blocking and without interleaving messages.
/// </summary>
public sealed partial class SipTcpConnection : IAsyncDisposable
{
    // RFC 3261 leaves the size open on streams; we cap it where the parser does (64 KiB) so a peer that never
    // ends its headers cannot make us buffer without bound.
    private const int MaxMessage = 64 * 1024;

    // Signalling back-pressure: a connection that cannot drain this many queued messages is broken.
    private const int SendQueueCapacity = 1024;

    private readonly Socket _socket;
    private readonly IPEndPoint? _connectTo;
    private readonly ISipMessageHandler _handler;
    private readonly SipTransportMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<Outgoing> _outgoing = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(SendQueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private readonly CancellationTokenSource _closing = new();
    private Task _running = Task.CompletedTask;

    private SipTcpConnection(long id, Socket socket, IPEndPoint remote, IPEndPoint? connectTo, SipListener listener, ISipMessageHandler handler, SipTransportMetrics metrics, ILogger logger)
    {
        Id = id;
        _socket = socket;
        Remote = remote;
        _connectTo = connectTo;
        Listener = listener;
        _handler = handler;
        _metrics = metrics;
        _logger = logger;
    }

    public long Id { get; }

    public IPEndPoint Remote { get; }

    public SipListener Listener { get; }

    /// <summary>Completes when both directions have stopped and the socket is closed.</summary>
    public Task Completion => _running;

    internal static SipTcpConnection Accepted(long id, Socket socket, SipListener listener, ISipMessageHandler handler, SipTransportMetrics metrics, ILogger logger)
        => new(id, socket, (IPEndPoint)socket.RemoteEndPoint!, null, listener, handler, metrics, logger);

    internal static SipTcpConnection Outbound(long id, IPEndPoint remote, SipListener listener, ISipMessageHandler handler, SipTransportMetrics metrics, ILogger logger)
        => new(id, new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp), remote, remote, listener, handler, metrics, logger);

    internal void Start() => _running = RunAsync();

    /// <summary>Queues a copy of <paramref name="message"/>; false when the connection is closing or its queue is full.</summary>
    public bool TrySend(ReadOnlySpan<byte> message)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(message.Length);
        message.CopyTo(buffer);
        if (_outgoing.Writer.TryWrite(new Outgoing(buffer, message.Length)))
        {
            return true;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        _metrics.SendFailed(SipTransportKind.Tcp);
        return false;
    }

    private async Task RunAsync()
    {
        _metrics.ConnectionOpened();
        try
        {
            if (_connectTo is not null)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                await _socket.ConnectAsync(_connectTo, timeout.Token).ConfigureAwait(false);
            }

            _socket.NoDelay = true;
            await using var stream = new NetworkStream(_socket, ownsSocket: false);
            var writing = WriteLoopAsync(stream);
            await ReadLoopAsync(stream).ConfigureAwait(false);

            // The peer closed its side or sent something unframeable: let queued responses (a 400) go out first.
            _outgoing.Writer.TryComplete();
            await writing.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            LogClosed(Remote, e.Message);
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            while (_outgoing.Reader.TryRead(out var pending))
            {
                ArrayPool<byte>.Shared.Return(pending.Buffer);
            }

            _socket.Dispose();
            _metrics.ConnectionClosed();
        }
    }

    private async Task ReadLoopAsync(NetworkStream stream)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 8192, minimumReadSize: 2048, leaveOpen: true));
        using var message = new SipMessage();
        var source = new SipRemote(SipTransportKind.Tcp, Remote, Id);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_closing.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var broken = false;
                while (!broken)
                {
                    var status = SipParser.TryParse(buffer, isDatagram: false, message, out var consumed, out var error);
                    if (status == SipParseStatus.Incomplete)
                    {
                        if (buffer.Length > MaxMessage)
                        {
                            status = SipParseStatus.Invalid;
                            error = SipParseError.MessageTooLarge;
                        }
                        else
                        {
                            break;
                        }
                    }

                    _metrics.Received(SipTransportKind.Tcp);
                    if (status == SipParseStatus.Invalid)
                    {
                        // A stream cannot be resynchronised after a framing error (RFC 3261 §18.3): answer if we
                        // can, then close.
                        _metrics.ParseFailed(SipTransportKind.Tcp);
                        broken = true;
                    }

                    Deliver(message, status, error, source);
                    if (!broken)
                    {
                        buffer = buffer.Slice(consumed);
                    }
                }

                if (broken)
                {
                    break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void Deliver(SipMessage message, SipParseStatus status, SipParseError error, in SipRemote source)
    {
        try
        {
            _handler.OnReceived(message, status, error, source, Listener);
        }
#pragma warning disable CA1031 // A bug above the transport must cost one message, not the connection.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogHandlerFailed(e, Remote);
        }
        finally
        {
            message.Reset();
        }
    }

    private async Task WriteLoopAsync(NetworkStream stream)
    {
        await foreach (var item in _outgoing.Reader.ReadAllAsync(_closing.Token).ConfigureAwait(false))
        {
            try
            {
                await stream.WriteAsync(item.Buffer.AsMemory(0, item.Length), _closing.Token).ConfigureAwait(false);
                _metrics.Sent(SipTransportKind.Tcp);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(item.Buffer);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closing.IsCancellationRequested)
        {
            await _closing.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        await _running.ConfigureAwait(false);
        _closing.Dispose();
    }

    private readonly record struct Outgoing(byte[] Buffer, int Length);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TCP connection to {Remote} closed: {Reason}")]
    private partial void LogClosed(IPEndPoint remote, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message from {Remote} failed")]
    private partial void LogHandlerFailed(Exception exception, IPEndPoint remote);
}
