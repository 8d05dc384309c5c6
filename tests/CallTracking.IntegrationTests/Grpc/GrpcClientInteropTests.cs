using System.Text.Json;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Infrastructure.GrpcPeers;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CallTracking.IntegrationTests.Grpc;

/// <summary>
/// The wire layer against a gRPC client library nobody here wrote: one test base, run against every client
/// (python grpcio, @grpc/grpc-js). Each test class starts its own server.
/// </summary>
public abstract class GrpcClientInteropTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    protected InteropServer Server { get; private set; } = null!;

    protected TestDirectory Directory { get; } = TestDirectory.Create("grpc-interop");

    public async Task InitializeAsync() => Server = await InteropServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected abstract GrpcPeerProcess Start(GrpcClientCall call);

    protected async Task<GrpcPeerResult> CallAsync(GrpcClientCall call)
    {
        using var peer = Start(call);
        var result = await peer.WaitForExitAsync(Patience);
        Assert.True(result.Completed, result.Describe());
        return result;
    }

    private GrpcClientCall Interop(string method, string json = "{}") => new()
    {
        Target = Server.Target,
        ProtoRoot = GrpcPeerPaths.InteropProtoRoot,
        Method = "/interop.v1.Interop/" + method,
        RequestJson = json,
    };

    private GrpcClientCall Health(string method, string service) => new()
    {
        Target = Server.Target,
        ProtoRoot = GrpcPeerPaths.EngineProtoRoot,
        Method = "/grpc.health.v1.Health/" + method,
        RequestJson = JsonSerializer.Serialize(new { service }),
    };

    [Fact]
    public async Task Unary_call_round_trips_text_and_metadata()
    {
        var result = await CallAsync(Interop("Echo", """{"text":"h\u00e9llo"}""") with { Metadata = [new("authorization", "Bearer abc.def")] });
        Assert.Equal("OK", result.Status);
        var reply = Assert.Single(result.Messages);
        Assert.Equal("h\u00e9llo", reply.GetProperty("text").GetString());
        Assert.Equal("abc.def", reply.GetProperty("bearer_token").GetString());
    }

    [Fact]
    public async Task Server_stream_delivers_every_message_in_order()
    {
        var result = await CallAsync(Interop("Count", """{"count":5,"interval_ms":20}"""));
        Assert.Equal("OK", result.Status);
        Assert.Equal([1, 2, 3, 4, 5], result.Messages.Select(m => m.GetProperty("number").GetInt32()));
    }

    [Fact]
    public async Task Deadline_ends_the_call_DEADLINE_EXCEEDED_and_the_handler_sees_its_token_fire()
    {
        var tag = Guid.NewGuid().ToString("N");
        var result = await CallAsync(Interop("WaitForCancel", $$"""{"tag":"{{tag}}"}""") with { Timeout = TimeSpan.FromMilliseconds(500) });
        Assert.Equal("DEADLINE_EXCEEDED", result.Status);
        await Server.Cancellations.WaitCancelledAsync(tag, Patience);
    }

    [Fact]
    public async Task Client_cancellation_reaches_the_handler()
    {
        var tag = Guid.NewGuid().ToString("N");
        using var peer = Start(Interop("WaitForCancel", $$"""{"tag":"{{tag}}"}""") with { CancelAfter = TimeSpan.FromMilliseconds(700) });
        await Server.Cancellations.WaitStartedAsync(tag, Patience);
        Assert.False(Server.Cancellations.WasCancelled(tag));
        var result = await peer.WaitForExitAsync(Patience);
        Assert.Equal("CANCELLED", result.Status);
        await Server.Cancellations.WaitCancelledAsync(tag, Patience);
    }

    [Theory]
    [InlineData(9, "FAILED_PRECONDITION", "plan 42 is not active")]
    [InlineData(5, "NOT_FOUND", "caf\u00e9 100% \"gone\"\nsecond line")]
    [InlineData(16, "UNAUTHENTICATED", "")]
    public async Task Status_code_and_message_reach_the_client_library_intact(int code, string name, string message)
    {
        var result = await CallAsync(Interop("Fail", JsonSerializer.Serialize(new { code, message })));
        Assert.Equal(name, result.Status);
        // The status line is one line: a newline in the message would split it, so compare its first line.
        Assert.Equal(message.Split('\n')[0], result.StatusDetails);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task Unknown_method_is_UNIMPLEMENTED()
    {
        var result = await CallAsync(new GrpcClientCall { Target = Server.Target, ProtoRoot = GrpcPeerPaths.EngineProtoRoot, Method = "/calltracking.v1.Calls/GetCall" });
        Assert.Equal("UNIMPLEMENTED", result.Status);
    }

    [Fact]
    public async Task Gzip_request_is_decompressed_and_the_gzip_reply_is_read()
    {
        var payload = Convert.ToBase64String(Enumerable.Repeat((byte)'a', 200_000).ToArray());
        var result = await CallAsync(Interop("Echo", $$"""{"text":"zip","payload":"{{payload}}"}""") with { Gzip = true, SizesOnly = true });
        Assert.Equal("OK", result.Status);
        // The reply echoes the 200 kB payload: far above the sizes a request header alone would give.
        Assert.True(Assert.Single(result.MessageSizes) > 200_000);

        var seen = await CallAsync(Interop("Echo", """{"text":"which encodings"}""") with { Gzip = true });
        var reply = Assert.Single(seen.Messages);
        Assert.Equal("gzip", reply.GetProperty("request_encoding").GetString());
        // The client accepts gzip, so the server compressed its reply, and the client read it.
        Assert.Contains("gzip", reply.GetProperty("accept_encoding").GetString(), StringComparison.Ordinal);
        Assert.Equal("which encodings", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Big_messages_pass_both_ways_and_over_the_cap_is_RESOURCE_EXHAUSTED()
    {
        var threeMb = Convert.ToBase64String(new byte[3 * 1024 * 1024]);
        var big = await CallAsync(Interop("Echo", $$"""{"payload":"{{threeMb}}","reply_size":3500000}""") with { SizesOnly = true });
        Assert.Equal("OK", big.Status);
        Assert.True(Assert.Single(big.MessageSizes) > 3_500_000);

        var fiveMb = Convert.ToBase64String(new byte[5 * 1024 * 1024]);
        var tooBig = await CallAsync(Interop("Echo", $$"""{"payload":"{{fiveMb}}"}"""));
        Assert.Equal("RESOURCE_EXHAUSTED", tooBig.Status);

        var replyTooBig = await CallAsync(Interop("Echo", """{"reply_size":5000000}"""));
        Assert.Equal("RESOURCE_EXHAUSTED", replyTooBig.Status);
    }

    [Fact]
    public async Task Health_check_answers_serving_for_the_server_and_its_services_and_NOT_FOUND_otherwise()
    {
        foreach (var service in new[] { string.Empty, InteropService.ServiceName, "grpc.health.v1.Health" })
        {
            var result = await CallAsync(Health("Check", service));
            Assert.Equal("OK", result.Status);
            Assert.Equal("SERVING", Assert.Single(result.Messages).GetProperty("status").GetString());
        }

        var unknown = await CallAsync(Health("Check", "no.such.Service"));
        Assert.Equal("NOT_FOUND", unknown.Status);
    }

    [Fact]
    public async Task Health_watch_sends_the_current_status_then_each_change()
    {
        using var peer = Start(Health("Watch", InteropService.ServiceName) with { MaxMessages = 3 });
        await peer.WaitForLineAsync(line => line.StartsWith("MSG ", StringComparison.Ordinal), Patience);
        Server.Health.SetStatus(InteropService.ServiceName, ServingStatus.NotServing);
        await peer.WaitForLineAsync(line => line.Contains("NOT_SERVING", StringComparison.Ordinal), Patience);
        Server.Health.SetStatus(InteropService.ServiceName, ServingStatus.Serving);
        var result = await peer.WaitForExitAsync(Patience);
        Assert.Equal(["SERVING", "NOT_SERVING", "SERVING"], result.Messages.Select(m => m.GetProperty("status").GetString()));
        Assert.Equal("CANCELLED", result.Status);
    }
}
