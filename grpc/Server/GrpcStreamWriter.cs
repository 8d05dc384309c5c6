using Google.Protobuf;

namespace CallTracking.Grpc.Server;

/// <summary>The <see cref="IServerStreamWriter{T}"/> a server-streaming handler gets: every write is flushed.</summary>
internal sealed class GrpcStreamWriter<T>(GrpcCall call) : IServerStreamWriter<T>
    where T : IMessage<T>
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default) => call.WriteMessageAsync(message, cancellationToken);

    public Task WriteResponseHeadersAsync(CancellationToken cancellationToken = default) => call.WriteResponseHeadersAsync(cancellationToken);
}
