using Google.Protobuf;

namespace CallTracking.Grpc.Server;

internal sealed class ServerStreamingMethod<TRequest, TResponse>(string service, string name, Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
    : GrpcMethod(service, name)
    where TRequest : IMessage<TRequest>, new()
    where TResponse : IMessage<TResponse>
{
    private readonly MessageParser<TRequest> _parser = new(() => new TRequest());

    public override async Task RunAsync(GrpcCall call)
    {
        var request = await call.ReadSingleRequestAsync(_parser).ConfigureAwait(false);
        await handler(request, new GrpcStreamWriter<TResponse>(call), call.Context).ConfigureAwait(false);
    }
}
