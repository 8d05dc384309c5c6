using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Grpc.Server;

public sealed class DeadlineTests : IAsyncLifetime
{
    private readonly TestMethods _methods = new();
    private readonly RawGrpcClient _client = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private KestrelGrpcServer _server = null!;

    public async Task InitializeAsync() => _server = await KestrelGrpcServer.StartAsync(_methods.Register, _time);

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Handler_sees_the_deadline_and_its_token_fires_there_ending_DEADLINE_EXCEEDED()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var request = RawGrpcClient.Request(_server.Http2, "/test.Test/Wait", RawGrpcClient.Frame(new StringValue()), headers: [new("grpc-timeout", "5S")]);
        var call = _client.SendAsync(request, timeout.Token);
        await _methods.Started.Task.WaitAsync(timeout.Token);
        Assert.Equal(_time.GetUtcNow().AddSeconds(5), _methods.LastContext!.Deadline);

        _time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(50, timeout.Token);
        Assert.False(_methods.Cancelled.Task.IsCompleted);
        Assert.False(call.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        await _methods.Cancelled.Task.WaitAsync(timeout.Token);
        var reply = await call;
        Assert.Equal("4", reply.GrpcStatus);
        Assert.Empty(reply.Frames);
    }

    [Fact]
    public async Task Call_ends_at_the_deadline_even_while_the_handler_ignores_its_token()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var request = RawGrpcClient.Request(_server.Http2, "/test.Test/Stubborn", RawGrpcClient.Frame(new Int32Value()), headers: [new("grpc-timeout", "1S")]);
        var call = _client.SendAsync(request, timeout.Token);
        await _methods.Started.Task.WaitAsync(timeout.Token);
        _time.Advance(TimeSpan.FromSeconds(1));

        var reply = await call;
        Assert.False(_methods.LateWrite.Task.IsCompleted);
        Assert.Equal("4", reply.GrpcStatus);
        Assert.Equal("first", StringValue.Parser.ParseFrom(Assert.Single(reply.Frames).Payload).Value);

        _methods.Release.SetResult();
        Assert.IsAssignableFrom<OperationCanceledException>(await _methods.LateWrite.Task.WaitAsync(timeout.Token));
    }

    [Fact]
    public async Task Invalid_grpc_timeout_is_ignored()
    {
        var request = RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue { Value = "x" }), headers: [new("grpc-timeout", "soon")]);
        var reply = await _client.SendAsync(request);
        Assert.Equal("0", reply.GrpcStatus);
        Assert.Null(_methods.EchoSaw.Deadline);
    }
}
