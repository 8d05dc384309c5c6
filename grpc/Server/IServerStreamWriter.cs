namespace CallTracking.Grpc.Server;

/// <summary>
/// The response side of a server-streaming call. One writer at a time: a handler awaits each
/// <see cref="WriteAsync"/> before the next. A write after the client went away throws
/// <see cref="OperationCanceledException"/>.
/// </summary>
public interface IServerStreamWriter<in T>
{
    /// <summary>Frames, compresses (when negotiated) and sends one message; completes when the transport took it.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends the response headers now, before any message, and flushes them. A stream that may stay quiet for a
    /// long time calls this once it has accepted the call: until headers arrive a client cannot tell an accepted
    /// stream from a hung one (a browser's fetch() does not even resolve). Does nothing once headers went out.
    /// </summary>
    Task WriteResponseHeadersAsync(CancellationToken cancellationToken = default);
}
