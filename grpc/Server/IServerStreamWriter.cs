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
}
