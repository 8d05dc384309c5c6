using CallTracking.Grpc.Server;
using CallTracking.IntegrationTests.Grpc.Interop;
using Google.Protobuf;

namespace CallTracking.IntegrationTests.Grpc;

/// <summary>interop.v1.Interop: the service the real clients call (see protos/interop/v1/interop.proto).</summary>
public sealed class InteropService(CancellationLog log) : IGrpcService
{
    public const string ServiceName = "interop.v1.Interop";

    public void Register(GrpcMethodRegistry registry) => registry
        .AddUnary<EchoRequest, EchoReply>(ServiceName, "Echo", EchoAsync)
        .AddServerStreaming<CountRequest, CountReply>(ServiceName, "Count", CountAsync)
        .AddUnary<WaitRequest, WaitReply>(ServiceName, "WaitForCancel", WaitForCancelAsync)
        .AddUnary<FailRequest, FailReply>(ServiceName, "Fail", (request, _) => throw new GrpcException((StatusCode)request.Code, request.Message));

    private static Task<EchoReply> EchoAsync(EchoRequest request, ServerCallContext context)
    {
        var payload = request.Payload;
        if (request.ReplySize > 0)
        {
            var bytes = new byte[request.ReplySize];
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)(i % 251);
            }

            payload = ByteString.CopyFrom(bytes);
        }

        return Task.FromResult(new EchoReply
        {
            Text = request.Text,
            Payload = payload,
            RequestEncoding = context.RequestHeaders["grpc-encoding"].ToString(),
            AcceptEncoding = context.RequestHeaders["grpc-accept-encoding"].ToString(),
            BearerToken = context.BearerToken ?? string.Empty,
            RequestPayloadSize = request.Payload.Length,
        });
    }

    private static async Task CountAsync(CountRequest request, IServerStreamWriter<CountReply> writer, ServerCallContext context)
    {
        for (var i = 1; i <= request.Count; i++)
        {
            await writer.WriteAsync(new CountReply { Number = i }, context.CancellationToken);
            if (request.IntervalMs > 0 && i < request.Count)
            {
                await Task.Delay(request.IntervalMs, context.CancellationToken);
            }
        }
    }

    private async Task<WaitReply> WaitForCancelAsync(WaitRequest request, ServerCallContext context)
    {
        log.Started(request.Tag);
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            log.Cancelled(request.Tag);
            throw;
        }

        return new WaitReply();
    }
}
