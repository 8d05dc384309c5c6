using Google.Protobuf;

namespace CallTracking.Grpc.Server;

internal sealed class UnaryMethod<TRequest, TResponse>(string service, string name, Func<TRequest, ServerCallContext, Task<TResponse>> handler)
    : GrpcMethod(service, name)
    where TRequest : IMessage<TRequest>, new()
    where TResponse : IMessage<TResponse>
{
    private readonly MessageParser<TRequest> _parser = new(() => new TRequest());

    public override async Task RunAsync(GrpcCall call)
    {
        var request = await call.ReadSingleRequestAsync(_parser).ConfigureAwait(false);
        var response = await handler(request, call.Context).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The handler of {Path} returned no response message.");
        call.ThrowIfDeadlineExceeded();
        await call.WriteMessageAsync(response, CancellationToken.None).ConfigureAwait(false);
    }
}
