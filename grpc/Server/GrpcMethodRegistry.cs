using Google.Protobuf;

namespace CallTracking.Grpc.Server;

/// <summary>
/// The methods the server answers, by path (<c>/package.Service/Method</c>). Filled by every
/// <see cref="IGrpcService"/> at start-up, read-only afterwards. A path no service registered is
/// answered UNIMPLEMENTED.
/// </summary>
public sealed class GrpcMethodRegistry
{
    /// <summary>Registers a unary method: one request, one response.</summary>
    /// <param name="service">The service's full name, e.g. <c>calltracking.v1.Calls</c>.</param>
    /// <param name="method">The method's name, e.g. <c>GetCall</c>.</param>
    public GrpcMethodRegistry AddUnary<TRequest, TResponse>(string service, string method, Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
        => throw new NotImplementedException();

    /// <summary>Registers a server-streaming method: one request, any number of responses.</summary>
    public GrpcMethodRegistry AddServerStreaming<TRequest, TResponse>(string service, string method, Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
        => throw new NotImplementedException();

    /// <summary>The full names of the registered services (for health checks and reflection-like listings).</summary>
    public IReadOnlyCollection<string> Services => throw new NotImplementedException();
}
