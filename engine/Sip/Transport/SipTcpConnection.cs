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
/// Closing is graceful: reading stops, what is queued is written (for a bounded time), then our side is shut
/// down with a FIN, never by dropping queued responses.
/// </summary>
public sealed partial class SipTcpConnection : IAsyncDisposable
{
    /// <summary>Signalling back-pressure: a connection that cannot drain this many queued messages is broken.</summary>
    internal const int SendQueueCapacity = 1024;

    /// <summary>How long <see cref="DisposeAsync"/> lets the writer drain the queue before it aborts.</summary>
    internal static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    // After a framing error we wait this long for the peer to close, reading and discarding what it still sends,
    // so that our close is a FIN behind the 400 rather than a RST that can destroy it in the peer's buffers.
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly IPEndPoint? _connectTo;
    private readonly ISipMessageHandler _handler;
    private readonly SipTransportMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<Outgoing> _outgoing = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(SendQueueCapacity)
    {
        // TrySend uses TryWrite, so "Wait" means a full queue refuses the message and the sender learns of it.
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    // Ends the read loop (shutdown, or the writer failed). Threading: cancelled from any thread.
    private readonly CancellationTokenSource _stopReading = new();

    // Ends everything still pending on the socket: connect, a stuck write, the linger.
    private readonly CancellationTokenSource _aborting = new();
    private int _disposed;
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

    /// <summary>True for a connection we opened to send a request; false for one a peer opened to us.</summary>
    public bool IsOutbound => _connectTo is not null;

    /// <summary>Completes when both directions have stopped and the socket is closed.</summary>
    public Task Completion => _running;

    internal static SipTcpConnection Accepted(long id, Socket socket, SipListener listener, ISipMessageHandler handler, SipTransportMetrics metrics, ILogger logger)
        => new(id, socket, (IPEndPoint)socket.RemoteEndPoint!, null, listener, handler, metrics, logger);

    internal static SipTcpConnection Outbound(long id, IPEndPoint remote, SipListener listener, ISipMessageHandler handler, SipTransportMetrics metrics, ILogger logger)
        => new(id, new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp), remote, remote, listener, handler, metrics, logger);

    internal void Start()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Disposed between being tracked and being started (the transport is shutting down).
            _socket.Dispose();
            return;
        }

        _running = RunAsync();
    }

    /// <summary>Queues a copy of <paramref name="message"/>; false (and counted) when the connection is closing or its queue is full.</summary>
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
        _metrics.ConnectionOpened(inbound: !IsOutbound);
        var writing = Task.CompletedTask;
        try
        {
            if (_connectTo is not null)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_aborting.Token);
                timeout.CancelAfter(ConnectTimeout);
                await _socket.ConnectAsync(_connectTo, timeout.Token).ConfigureAwait(false);
            }

            _socket.NoDelay = true;
            await using var stream = new NetworkStream(_socket, ownsSocket: false);
            writing = WriteLoopAsync(stream);
            var end = ReadEnd.Stopped;
            try
            {
                end = await ReadLoopAsync(stream).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopReading.IsCancellationRequested)
            {
            }

            // The peer closed its side, sent something unframeable, or we are shutting down: what is queued
            // (a 400 answering the bad message, RFC 3261 §18.3) still goes out, then our FIN.
            _outgoing.Writer.TryComplete();
            await writing.ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
            if (end != ReadEnd.PeerClosed)
            {
                await DiscardUnreadAsync(end == ReadEnd.FramingError ? LingerTimeout : TimeSpan.Zero).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            LogClosed(Remote, e.Message);
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            if (!writing.IsCompleted)
            {
                await AbortAsync().ConfigureAwait(false);
            }

            try
            {
                await writing.ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
            }

            while (_outgoing.Reader.TryRead(out var pending))
            {
                ArrayPool<byte>.Shared.Return(pending.Buffer);
                _metrics.SendFailed(SipTransportKind.Tcp);
            }

            _socket.Dispose();
            _metrics.ConnectionClosed();
        }
    }

    private async Task<ReadEnd> ReadLoopAsync(NetworkStream stream)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 8192, minimumReadSize: 2048, leaveOpen: true));
        using var message = new SipMessage();
        var source = new SipRemote(SipTransportKind.Tcp, Remote, Id);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_stopReading.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    // The parser caps a message at 64 KiB itself (MessageTooLarge), so the buffer cannot grow without bound.
                    var status = SipParser.TryParse(buffer, isDatagram: false, message, out var consumed, out var error);
                    if (status == SipParseStatus.Incomplete)
                    {
                        // Only keep-alive CRLFs are consumed here (RFC 5626 §3.5.1): they must not pile up.
                        buffer = buffer.Slice(consumed);
                        break;
                    }

                    _metrics.Received(SipTransportKind.Tcp);
                    var broken = false;
                    if (status == SipParseStatus.Invalid)
                    {
                        _metrics.ParseFailed(SipTransportKind.Tcp);

                        // With a sound header end and Content-Length the parser steps over the bad message and the
                        // stream goes on; without them the next message's start cannot be found (RFC 3261 §18.3):
                        // answer if we can, then close.
                        broken = buffer.Slice(consumed).Length == buffer.Length;
                    }

                    Deliver(message, status, error, source);
                    if (broken)
                    {
                        return ReadEnd.FramingError;
                    }

                    buffer = buffer.Slice(consumed);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return ReadEnd.PeerClosed;
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
        try
        {
            // No token on the read side: the loop ends when the queue is completed and empty, which is what lets
            // a closing connection write what was queued before it.
            await foreach (var item in _outgoing.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                try
                {
                    await stream.WriteAsync(item.Buffer.AsMemory(0, item.Length), _aborting.Token).ConfigureAwait(false);
                    _metrics.Sent(SipTransportKind.Tcp);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }
            }
        }
        catch
        {
            // A connection that cannot write is dead both ways: refuse further sends and stop reading.
            _outgoing.Writer.TryComplete();
            await _stopReading.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task DiscardUnreadAsync(TimeSpan wait)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            // Closing with unread bytes in our receive buffer sends a RST instead of a FIN (RFC 1122 §4.2.2.13).
            // Bounded, so a peer that keeps sending cannot hold this thread.
            var discarded = 0;
            while (_socket.Available > 0 && discarded < SipMessage.MaxMessageSize)
            {
                var read = _socket.Receive(scratch);
                if (read == 0)
                {
                    return;
                }

                discarded += read;
            }

            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_aborting.Token);
            timeout.CancelAfter(wait);
            while (await _socket.ReceiveAsync(scratch, SocketFlags.None, timeout.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task AbortAsync()
    {
        await _stopReading.CancelAsync().ConfigureAwait(false);
        await _aborting.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Stops reading, refuses new messages, lets the writer drain what is queued for up to
    /// <see cref="DrainTimeout"/>, then closes; past the timeout the connection is aborted.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _outgoing.Writer.TryComplete();
            await _stopReading.CancelAsync().ConfigureAwait(false);
            try
            {
                await _running.WaitAsync(DrainTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await AbortAsync().ConfigureAwait(false);
            }
            await _running.ConfigureAwait(false);
            _stopReading.Dispose();
            _aborting.Dispose();
            return;
        }

        await _running.ConfigureAwait(false);
    }

    private enum ReadEnd
    {
        Stopped,
        PeerClosed,
        FramingError,
    }

    private readonly record struct Outgoing(byte[] Buffer, int Length);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TCP connection to {Remote} closed: {Reason}")]
    private partial void LogClosed(IPEndPoint remote, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message from {Remote} failed")]
    private partial void LogHandlerFailed(Exception exception, IPEndPoint remote);
}
