using Google.Protobuf.WellKnownTypes;

namespace CallTracking.Tests.Grpc.Server;

public sealed class StreamingCallTests : IAsyncLifetime
{
    private readonly TestMethods _methods = new();
    private readonly RawGrpcClient _client = new();
    private KestrelGrpcServer _server = null!;

    public async Task InitializeAsync() => _server = await KestrelGrpcServer.StartAsync(_methods.Register);

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Each_streamed_message_reaches_the_client_before_the_handler_writes_the_next()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await _client.SendStreamingAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Count", RawGrpcClient.Frame(new Int32Value { Value = 3 })), timeout.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);

        // The handler holds message 2 back until the test has message 1: only a flushed write gets here.
        var first = await RawGrpcClient.ReadFrameAsync(stream, timeout.Token);
        Assert.Equal("1", StringValue.Parser.ParseFrom(first.Payload).Value);
        _methods.SecondMessageAllowed.SetResult();
        Assert.Equal("2", StringValue.Parser.ParseFrom((await RawGrpcClient.ReadFrameAsync(stream, timeout.Token)).Payload).Value);
        Assert.Equal("3", StringValue.Parser.ParseFrom((await RawGrpcClient.ReadFrameAsync(stream, timeout.Token)).Payload).Value);
        Assert.Equal(0, await stream.ReadAsync(new byte[1], timeout.Token));
        Assert.Equal("0", Assert.Single(response.TrailingHeaders.GetValues("grpc-status")));
    }

    [Fact]
    public async Task A_stream_of_no_messages_ends_trailers_only_OK()
    {
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Count", RawGrpcClient.Frame(new Int32Value { Value = 0 })));
        Assert.Empty(reply.Frames);
        Assert.Equal("0", Assert.Single(reply.Headers.GetValues("grpc-status")));
    }

    [Fact]
    public async Task Client_reset_cancels_the_handler_token()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var response = await _client.SendStreamingAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/StreamThenWait", RawGrpcClient.Frame(new Int32Value())), cancel.Token);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        await RawGrpcClient.ReadFrameAsync(stream, timeout.Token);
        await _methods.Started.Task.WaitAsync(timeout.Token);
        Assert.False(_methods.Cancelled.Task.IsCompleted);

        // Disposing an unfinished HTTP/2 response sends RST_STREAM(CANCEL).
        response.Dispose();
        await _methods.Cancelled.Task.WaitAsync(timeout.Token);
    }
}
