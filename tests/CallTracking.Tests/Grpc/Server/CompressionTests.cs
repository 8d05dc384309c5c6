using System.Buffers;
using CallTracking.Grpc.Compression;
using CallTracking.Grpc.Framing;
using Google.Protobuf.WellKnownTypes;

namespace CallTracking.Tests.Grpc.Server;

public sealed class CompressionTests : IAsyncLifetime
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
    public async Task Gzip_request_is_decompressed_and_the_reply_gzipped_when_accepted()
    {
        var text = string.Concat(Enumerable.Repeat("call tracking ", 1000));
        var request = RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue { Value = text }, compress: true),
            headers: [new("grpc-encoding", "gzip"), new("grpc-accept-encoding", "identity,gzip")]);
        var reply = await _client.SendAsync(request);
        Assert.Equal("0", reply.GrpcStatus);
        Assert.Equal("gzip", reply.Header("grpc-encoding"));
        var frame = Assert.Single(reply.Frames);
        Assert.Equal(GrpcFrame.CompressedFlag, frame.Flags);
        Assert.True(frame.Payload.Length < text.Length / 10);
        var plain = new ArrayBufferWriter<byte>();
        Assert.Equal(DecompressStatus.Ok, GzipMessageCompression.TryDecompress(new ReadOnlySequence<byte>(frame.Payload), 1 << 20, plain));
        Assert.Equal(text, StringValue.Parser.ParseFrom(plain.WrittenSpan).Value);
    }

    [Fact]
    public async Task Empty_reply_on_a_gzip_response_is_sent_uncompressed()
    {
        var request = RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue { Value = string.Empty }), headers: [new("grpc-accept-encoding", "identity,gzip")]);
        var reply = await _client.SendAsync(request);
        Assert.Equal("0", reply.GrpcStatus);
        Assert.Equal("gzip", reply.Header("grpc-encoding"));
        var frame = Assert.Single(reply.Frames);
        Assert.Equal(0, frame.Flags);
        Assert.Empty(frame.Payload);
    }

    [Fact]
    public async Task Reply_is_not_compressed_when_the_client_does_not_accept_gzip()
    {
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue { Value = "x" }), headers: [new("grpc-accept-encoding", "identity")]));
        Assert.Null(reply.Header("grpc-encoding"));
        Assert.Equal(0, Assert.Single(reply.Frames).Flags);
    }

    [Fact]
    public async Task Compressed_bomb_over_the_cap_is_RESOURCE_EXHAUSTED()
    {
        var bomb = RawGrpcClient.Frame(new BytesValue { Value = Google.Protobuf.ByteString.CopyFrom(new byte[1024 * 1024]) }, compress: true);
        Assert.True(bomb.Length < 64 * 1024);
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", bomb, headers: [new("grpc-encoding", "gzip")]));
        Assert.Equal("8", reply.GrpcStatus);
    }

    [Fact]
    public async Task Unsupported_request_encoding_is_UNIMPLEMENTED_naming_what_is_accepted()
    {
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue()), headers: [new("grpc-encoding", "snappy")]));
        Assert.Equal("12", reply.GrpcStatus);
        Assert.Equal("identity,gzip", reply.Header("grpc-accept-encoding"));
    }

    [Fact]
    public async Task Compressed_flag_without_grpc_encoding_is_INTERNAL()
    {
        var reply = await _client.SendAsync(RawGrpcClient.Request(_server.Http2, "/test.Test/Echo", RawGrpcClient.Frame(new StringValue { Value = "x" }, compress: true)));
        Assert.Equal("13", reply.GrpcStatus);
    }
}
