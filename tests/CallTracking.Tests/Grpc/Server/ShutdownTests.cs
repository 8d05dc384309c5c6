using Google.Protobuf.WellKnownTypes;

namespace CallTracking.Tests.Grpc.Server;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_server_cancels_running_calls_which_end_UNAVAILABLE()
    {
        var methods = new TestMethods();
        using var client = new RawGrpcClient();
        var server = await KestrelGrpcServer.StartAsync(methods.Register);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var call = client.SendAsync(RawGrpcClient.Request(server.Http2, "/test.Test/Wait", RawGrpcClient.Frame(new StringValue())), timeout.Token);
            await methods.Started.Task.WaitAsync(timeout.Token);
            var stopping = server.DisposeAsync().AsTask();
            await methods.Cancelled.Task.WaitAsync(timeout.Token);
            var reply = await call;
            Assert.Equal("14", reply.GrpcStatus);
            await stopping.WaitAsync(timeout.Token);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
