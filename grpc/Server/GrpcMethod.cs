namespace CallTracking.Grpc.Server;

/// <summary>A registered method: reads its request, runs its handler, writes its responses.</summary>
internal abstract class GrpcMethod(string service, string name)
{
    public string Service { get; } = service;

    public string Name { get; } = name;

    /// <summary>The request path, <c>/package.Service/Method</c> (PROTOCOL-HTTP2.md ":path").</summary>
    public string Path { get; } = "/" + service + "/" + name;

    /// <summary>Runs the call to the end of the handler; the status is sent by the dispatcher.</summary>
    public abstract Task RunAsync(GrpcCall call);
}
