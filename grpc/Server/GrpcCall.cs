using System.Buffers;
using CallTracking.Grpc.Buffers;
using CallTracking.Grpc.Diagnostics;
using CallTracking.Grpc.Protocol;
using Microsoft.AspNetCore.Http;

namespace CallTracking.Grpc.Server;

/// <summary>
/// One call's state: its cancellation (client, deadline, server stop), the request reader and the response
/// writer. Used by one method run at a time; the deadline timer is the only other thread that touches it
/// (through <see cref="_deadlineExceeded"/> and the token source).
/// </summary>
internal sealed partial class GrpcCall : IDisposable
{
    // ITimer accepts at most 0xFFFFFFFE ms (about 49.7 days); a longer grpc-timeout is as good as none.
    private static readonly TimeSpan MaxTimerDuration = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    private readonly HttpContext _http;
    private readonly GrpcWireFormat _format;
    private readonly GrpcServerOptions _options;
    private readonly GrpcMetrics _metrics;
    private readonly bool _requestGzip;
    private readonly bool _compressResponses;
    private readonly CancellationTokenSource _cancellation;
    private readonly ITimer? _deadlineTimer;

    // Written by the timer thread, read by the call.
    private volatile bool _deadlineExceeded;
    private readonly TaskCompletionSource _deadlinePassed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The handler's writes and the status (which the dispatcher may send at the deadline while the handler still
    // runs) take turns on the response pipe under this lock; _headersWritten and _completed are guarded by it.
    private readonly SemaphoreSlim _responseLock = new(1, 1);
    private bool _headersWritten;
    private bool _completed;
    private PooledBufferWriter? _plainBuffer;
    private PooledBufferWriter? _packedBuffer;
    private PooledBufferWriter? _frameBuffer;
    private byte[]? _textBody;

    public GrpcCall(
        HttpContext http,
        string method,
        GrpcWireFormat format,
        GrpcServerOptions options,
        GrpcMetrics metrics,
        TimeProvider timeProvider,
        TimeSpan? timeout,
        bool requestGzip,
        bool compressResponses,
        CancellationToken serverStopping)
    {
        _http = http;
        _format = format;
        _options = options;
        _metrics = metrics;
        _requestGzip = requestGzip;
        _compressResponses = compressResponses;
        Method = method;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, serverStopping);
        DateTimeOffset? deadline = null;
        if (timeout is { } duration && duration <= MaxTimerDuration)
        {
            deadline = timeProvider.GetUtcNow() + duration;
        }

        Context = new ServerCallContext(http, method, deadline, _cancellation.Token);
        if (deadline is not null)
        {
            _deadlineTimer = timeProvider.CreateTimer(static state => ((GrpcCall)state!).OnDeadline(), this, timeout!.Value, Timeout.InfiniteTimeSpan);
        }
    }

    public string Method { get; }

    public ServerCallContext Context { get; }

    public CancellationToken CancellationToken => _cancellation.Token;

    public bool DeadlineExceeded => _deadlineExceeded;

    /// <summary>Completes when the deadline passes (never, without a deadline).</summary>
    public Task DeadlinePassed => _deadlinePassed.Task;

    /// <summary>Ends a unary call that finished after its deadline: the client no longer waits for the reply.</summary>
    public void ThrowIfDeadlineExceeded()
    {
        if (_deadlineExceeded)
        {
            throw new OperationCanceledException(_cancellation.Token);
        }
    }

    public void Dispose()
    {
        _deadlineTimer?.Dispose();
        _cancellation.Dispose();
        _responseLock.Dispose();
        _plainBuffer?.Dispose();
        _packedBuffer?.Dispose();
        _frameBuffer?.Dispose();
        if (_textBody is not null)
        {
            ArrayPool<byte>.Shared.Return(_textBody);
            _textBody = null;
        }
    }

    private void OnDeadline()
    {
        _deadlineExceeded = true;
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended while the timer fired.
        }

        _deadlinePassed.TrySetResult();
    }
}
