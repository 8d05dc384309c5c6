using System.Net;
using System.Text;
using CallTracking.Tests.Grpc.Server;
using Google.Protobuf.WellKnownTypes;

namespace CallTracking.Tests.Grpc.Web;

public sealed class GrpcWebCallTests : IAsyncLifetime
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
    public async Task Binary_grpc_web_over_HTTP_1_1_ends_with_a_trailer_frame()
    {
        var request = RawGrpcClient.Request(_server.Http1, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue { Value = "web" }), "application/grpc-web+proto", HttpVersion.Version11);
        var reply = await _client.SendAsync(request);
        Assert.Equal("application/grpc-web", reply.ContentHeaders.ContentType?.MediaType);
        Assert.Equal(2, reply.Frames.Count);
        Assert.Equal("web", StringValue.Parser.ParseFrom(reply.Frames[0].Payload).Value);
        Assert.Equal(0x80, reply.Frames[1].Flags);
        Assert.Equal("grpc-status: 0\r\n", Encoding.ASCII.GetString(reply.Frames[1].Payload));
    }

    [Fact]
    public async Task Text_grpc_web_is_base64_both_ways()
    {
        var body = Encoding.ASCII.GetBytes(Convert.ToBase64String(RawGrpcClient.Frame(new Int32Value { Value = 2 })));
        _methods.SecondMessageAllowed.SetResult();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Http1, "/test.Test/Count"))
        {
            Version = HttpVersion.Version11,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc-web-text");
        using var client = new HttpClient();
        using var response = await client.SendAsync(request);
        Assert.Equal("application/grpc-web-text", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();

        // One padded base64 chunk per message and one for the trailers.
        var chunks = text.Split('=', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, chunks.Length);
        var decoded = new byte[text.Length];
        Assert.True(CallTracking.Grpc.Web.GrpcWebText.TryDecode(Encoding.ASCII.GetBytes(text), decoded, out var written));
        var reply = RawGrpcReply.From(response, decoded[..written]);
        Assert.Equal(["1", "2"], reply.Messages.Select(m => StringValue.Parser.ParseFrom(m.Payload).Value));
        Assert.Equal("0", reply.GrpcStatus);
    }

    [Fact]
    public async Task Errors_come_in_the_trailer_frame_with_cors_headers_exposed()
    {
        var request = RawGrpcClient.Request(_server.Http1, "/test.Test/Fail", RawGrpcClient.Frame(new StringValue { Value = "7|no way 100%" }), "application/grpc-web", HttpVersion.Version11,
            [new("origin", "https://dashboard.example")]);
        var reply = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, reply.HttpStatus);
        Assert.Equal("7", reply.GrpcStatus);
        Assert.Equal("no way 100%25", reply.GrpcMessage);
        Assert.Equal("https://dashboard.example", reply.Header("access-control-allow-origin"));
        Assert.Contains("grpc-status", reply.Header("access-control-expose-headers"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_method_over_grpc_web_is_UNIMPLEMENTED_in_a_trailer_frame()
    {
        var request = RawGrpcClient.Request(_server.Http1, "/test.Test/Nope", RawGrpcClient.Frame(new StringValue()), "application/grpc-web", HttpVersion.Version11);
        var reply = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, reply.HttpStatus);
        var trailer = Assert.Single(reply.Frames);
        Assert.Equal(0x80, trailer.Flags);
        Assert.Equal("12", reply.GrpcStatus);
    }

    [Fact]
    public async Task Text_body_that_is_not_base64_is_INTERNAL_in_a_base64_trailer_frame()
    {
        using var request = RawGrpcClient.Request(_server.Http1, "/test.Test/Echo", "AAAA*AAA"u8.ToArray(), "application/grpc-web-text", HttpVersion.Version11);
        using var client = new HttpClient();
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsByteArrayAsync();
        var decoded = new byte[text.Length];
        Assert.True(CallTracking.Grpc.Web.GrpcWebText.TryDecode(text, decoded, out var written));
        var reply = RawGrpcReply.From(response, decoded[..written]);
        Assert.Equal(0x80, Assert.Single(reply.Frames).Flags);
        Assert.Equal("13", reply.GrpcStatus);
    }

    [Fact]
    public async Task Preflight_for_a_registered_method_allows_the_grpc_web_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(_server.Http1, "/test.Test/Echo")) { Version = HttpVersion.Version11 };
        request.Headers.TryAddWithoutValidation("origin", "https://dashboard.example");
        request.Headers.TryAddWithoutValidation("access-control-request-method", "POST");
        request.Headers.TryAddWithoutValidation("access-control-request-headers", "content-type,x-grpc-web,authorization");
        using var client = new HttpClient();
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://dashboard.example", response.Headers.GetValues("access-control-allow-origin").Single());
        var allowed = string.Join(",", response.Headers.GetValues("access-control-allow-headers"));
        foreach (var header in new[] { "authorization", "content-type", "x-grpc-web", "x-user-agent", "grpc-timeout" })
        {
            Assert.Contains(header, allowed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Preflight_for_an_unknown_path_is_not_answered_by_the_wire_layer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(_server.Http1, "/other/thing")) { Version = HttpVersion.Version11 };
        request.Headers.TryAddWithoutValidation("origin", "https://dashboard.example");
        request.Headers.TryAddWithoutValidation("access-control-request-method", "POST");
        using var client = new HttpClient();
        using var response = await client.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("access-control-allow-origin"));
    }
}
