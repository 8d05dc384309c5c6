using System.Net;
using System.Text;
using CallTracking.Grpc.Protocol;
using Google.Protobuf.WellKnownTypes;

namespace CallTracking.Tests.Grpc.Server;

public sealed class UnaryCallTests : IAsyncLifetime
{
    private readonly TestMethods _methods = new();
    private readonly RawGrpcClient _client = new();
    private KestrelGrpcServer _server = null!;

    public async Task InitializeAsync() => _server = await KestrelGrpcServer.StartAsync(_methods.Register, configure: o => o.MaxReceiveMessageSize = 64 * 1024);

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Unary_call_answers_one_message_then_status_OK_in_trailers()
    {
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue { Value = "hello" })));
        Assert.Equal(HttpStatusCode.OK, reply.HttpStatus);
        Assert.Equal("application/grpc", reply.ContentHeaders.ContentType?.MediaType);
        Assert.Equal("identity,gzip", reply.Header("grpc-accept-encoding"));
        var message = Assert.Single(reply.Frames);
        Assert.Equal(0, message.Flags);
        Assert.Equal("hello", StringValue.Parser.ParseFrom(message.Payload).Value);
        Assert.Equal("0", Assert.Single(reply.Trailers.GetValues("grpc-status")));
        Assert.False(reply.Trailers.Contains("grpc-message"));
    }

    [Fact]
    public async Task Unknown_method_is_a_trailers_only_UNIMPLEMENTED()
    {
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Nope", RawGrpcClient.Frame(new StringValue())));
        Assert.Equal(HttpStatusCode.OK, reply.HttpStatus);
        Assert.Empty(reply.Frames);
        Assert.Equal("12", Assert.Single(reply.Headers.GetValues("grpc-status")));
        Assert.Empty(reply.Trailers);
    }

    [Fact]
    public async Task GrpcException_status_and_message_reach_the_client_percent_encoded()
    {
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Fail", RawGrpcClient.Frame(new StringValue { Value = "5|caf\u00e9 100% gone\n" })));
        Assert.Equal("5", reply.GrpcStatus);
        Assert.Equal("caf%C3%A9 100%25 gone%0A", reply.GrpcMessage);
        Assert.Equal("caf\u00e9 100% gone\n", GrpcMessageText.Decode(reply.GrpcMessage!));
        Assert.Empty(reply.Frames);
    }

    [Fact]
    public async Task Handler_exception_is_INTERNAL_without_its_details()
    {
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Throw", RawGrpcClient.Frame(new StringValue())));
        Assert.Equal("13", reply.GrpcStatus);
        Assert.DoesNotContain("secret", reply.GrpcMessage ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_over_the_size_cap_is_RESOURCE_EXHAUSTED()
    {
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue { Value = new string('x', 70 * 1024) })));
        Assert.Equal("8", reply.GrpcStatus);
    }

    [Fact]
    public async Task Two_request_messages_on_a_unary_call_are_INTERNAL()
    {
        var frame = RawGrpcClient.Frame(new StringValue { Value = "a" });
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", [.. frame, .. frame]));
        Assert.Equal("13", reply.GrpcStatus);
        Assert.Equal("Additional data after the message received.", reply.GrpcMessage);
        Assert.Empty(reply.Frames);
    }

    [Fact]
    public async Task No_request_message_or_a_cut_one_is_INTERNAL()
    {
        var frame = RawGrpcClient.Frame(new StringValue { Value = "abc" });
        foreach (var body in new[] { Array.Empty<byte>(), frame[..^1], frame[..3] })
        {
            var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", body));
            Assert.Equal("13", reply.GrpcStatus);
            Assert.Equal("Incomplete message.", reply.GrpcMessage);
        }
    }

    [Fact]
    public async Task Grpc_over_HTTP_1_1_is_refused_with_426()
    {
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http1, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue()), version: HttpVersion.Version11));
        Assert.Equal(HttpStatusCode.UpgradeRequired, reply.HttpStatus);
        Assert.Equal("13", reply.GrpcStatus);
    }

    [Fact]
    public async Task Other_content_types_pass_through_to_the_rest_of_the_app()
    {
        var request = RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", Encoding.ASCII.GetBytes("{}"), contentType: "application/json");
        var reply = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, reply.HttpStatus);
        Assert.Null(reply.GrpcStatus);
    }

    [Fact]
    public async Task Grpc_with_a_json_subtype_is_415()
    {
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", Encoding.ASCII.GetBytes("{}"), contentType: "application/grpc+json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.HttpStatus);
    }

    [Fact]
    public async Task Bearer_token_and_metadata_reach_the_handler()
    {
        var request = RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue()), headers: [new("authorization", "Bearer t0k3n"), new("x-tenant", "acme")]);
        var reply = await _client.SendAsync(request);
        Assert.Equal("0", reply.GrpcStatus);
        Assert.Equal(("t0k3n", "acme", "/test.Test/Echo", (DateTimeOffset?)null), _methods.EchoSaw);
    }
}
