using System.Buffers;
using System.Net;
using System.Text;
using CallTracking.Grpc.Framing;
using CallTracking.Grpc.Web;
using CallTracking.IntegrationTests.Grpc.Interop;
using CallTracking.IntegrationTests.Infrastructure;
using Google.Protobuf;

namespace CallTracking.IntegrationTests.Grpc;

/// <summary>
/// gRPC-Web (PROTOCOL-WEB.md) over HTTP/1.1 as a browser's fetch would send it, driven by curl (framing,
/// text mode, CORS preflight) and by a raw streaming read (per-message flush).
/// </summary>
public sealed class GrpcWebInteropTests : IAsyncLifetime
{
    private readonly TestDirectory _directory = TestDirectory.Create("grpc-web");
    private InteropServer _server = null!;

    public async Task InitializeAsync() => _server = await InteropServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Binary_call_answers_the_message_then_a_trailer_frame()
    {
        var (headers, body) = await CurlAsync("/interop.v1.Interop/Echo", Frame(new EchoRequest { Text = "from the browser" }), "application/grpc-web+proto");
        Assert.Contains("HTTP/1.1 200", headers, StringComparison.Ordinal);
        Assert.Contains("content-type: application/grpc-web", headers, StringComparison.OrdinalIgnoreCase);
        var frames = Frames(body);
        Assert.Equal(2, frames.Count);
        Assert.Equal(0, frames[0].Flags);
        Assert.Equal("from the browser", EchoReply.Parser.ParseFrom(frames[0].Payload).Text);
        Assert.Equal(GrpcFrame.TrailersFlag, frames[1].Flags);
        Assert.Equal("grpc-status: 0\r\n", Encoding.ASCII.GetString(frames[1].Payload));
    }

    [Fact]
    public async Task Text_mode_stream_is_base64_per_message_with_the_trailers_last()
    {
        var request = Encoding.ASCII.GetBytes(Convert.ToBase64String(Frame(new CountRequest { Count = 3 })));
        var (headers, body) = await CurlAsync("/interop.v1.Interop/Count", request, "application/grpc-web-text");
        Assert.Contains("content-type: application/grpc-web-text", headers, StringComparison.OrdinalIgnoreCase);
        var decoded = new byte[body.Length];
        Assert.True(GrpcWebText.TryDecode(body, decoded, out var written), Encoding.ASCII.GetString(body));
        var frames = Frames(decoded[..written]);
        Assert.Equal([1, 2, 3], frames.Take(3).Select(f => CountReply.Parser.ParseFrom(f.Payload).Number));
        var trailers = GrpcWebTrailers.Parse(new ReadOnlySequence<byte>(frames[3].Payload));
        Assert.Equal("0", trailers["grpc-status"]);
    }

    [Fact]
    public async Task Error_status_and_encoded_message_come_in_the_trailer_frame()
    {
        var (_, body) = await CurlAsync("/interop.v1.Interop/Fail", Frame(new FailRequest { Code = 7, Message = "denied: 100% sure \u2713" }), "application/grpc-web");
        var frame = Assert.Single(Frames(body));
        var trailers = GrpcWebTrailers.Parse(new ReadOnlySequence<byte>(frame.Payload));
        Assert.Equal("7", trailers["grpc-status"]);
        Assert.Equal("denied: 100%25 sure %E2%9C%93", trailers["grpc-message"]);
    }

    [Fact]
    public async Task Cors_preflight_allows_the_origin_and_the_grpc_web_headers()
    {
        var headersFile = _directory.File($"preflight-{Guid.NewGuid():N}.txt");
        await RunCurlAsync(
        [
            "-sS", "--http1.1", "-X", "OPTIONS", "-o", "/dev/null", "-D", headersFile,
            "-H", "Origin: https://app.example",
            "-H", "Access-Control-Request-Method: POST",
            "-H", "Access-Control-Request-Headers: content-type,x-grpc-web,x-user-agent,authorization,grpc-timeout",
            new Uri(_server.Http1, "/interop.v1.Interop/Echo").ToString(),
        ]);
        var headers = await File.ReadAllTextAsync(headersFile);
        Assert.Contains("HTTP/1.1 204", headers, StringComparison.Ordinal);
        Assert.Contains("access-control-allow-origin: https://app.example", headers, StringComparison.OrdinalIgnoreCase);
        var allowHeaders = headers.Split("\r\n").Single(l => l.StartsWith("access-control-allow-headers:", StringComparison.OrdinalIgnoreCase));
        foreach (var name in new[] { "authorization", "content-type", "x-grpc-web", "x-user-agent", "grpc-timeout" })
        {
            Assert.Contains(name, allowHeaders, StringComparison.OrdinalIgnoreCase);
        }

        var (responseHeaders, _) = await CurlAsync("/interop.v1.Interop/Echo", Frame(new EchoRequest()), "application/grpc-web", "Origin: https://app.example");
        Assert.Contains("access-control-expose-headers: grpc-status, grpc-message, grpc-encoding", responseHeaders, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Each_streamed_message_is_flushed_while_the_handler_still_runs()
    {
        // The second message comes a minute later: the first is readable now only if it was flushed on its own.
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Http1, "/interop.v1.Interop/Count"))
        {
            Version = HttpVersion.Version11,
            Content = new ByteArrayContent(Frame(new CountRequest { Count = 2, IntervalMs = 60_000 })),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc-web");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var header = new byte[GrpcFrameReader.HeaderSize];
        await stream.ReadExactlyAsync(header, timeout.Token);
        var payload = new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1))];
        await stream.ReadExactlyAsync(payload, timeout.Token);
        Assert.Equal(1, CountReply.Parser.ParseFrom(payload).Number);
    }

    private static byte[] Frame(IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[GrpcFrameReader.HeaderSize + payload.Length];
        GrpcFrameReader.WriteHeader(frame, 0, payload.Length);
        payload.CopyTo(frame, GrpcFrameReader.HeaderSize);
        return frame;
    }

    private static List<(byte Flags, byte[] Payload)> Frames(byte[] body)
    {
        var frames = new List<(byte, byte[])>();
        var input = new ReadOnlySequence<byte>(body);
        while (GrpcFrameReader.TryRead(input, int.MaxValue, out var frame, out var consumed) == FrameReadStatus.Complete)
        {
            frames.Add((frame.Flags, frame.Payload.ToArray()));
            input = input.Slice(consumed);
        }

        Assert.True(input.IsEmpty, $"{input.Length} bytes after the last whole frame");
        return frames;
    }

    private async Task<(string Headers, byte[] Body)> CurlAsync(string path, byte[] request, string contentType, params string[] extraHeaders)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var requestFile = _directory.File($"request-{id}.bin");
        var headersFile = _directory.File($"headers-{id}.txt");
        var bodyFile = _directory.File($"body-{id}.bin");
        await File.WriteAllBytesAsync(requestFile, request);
        var arguments = new List<string>
        {
            "-sS", "--http1.1", "-X", "POST", "--data-binary", "@" + requestFile, "-o", bodyFile, "-D", headersFile,
            "-H", "content-type: " + contentType, "-H", "x-grpc-web: 1", "-H", "x-user-agent: grpc-web-javascript/0.1",
        };
        foreach (var header in extraHeaders)
        {
            arguments.AddRange(["-H", header]);
        }

        arguments.Add(new Uri(_server.Http1, path).ToString());
        await RunCurlAsync(arguments);
        return (await File.ReadAllTextAsync(headersFile), await File.ReadAllBytesAsync(bodyFile));
    }

    private async Task RunCurlAsync(IEnumerable<string> arguments)
    {
        using var curl = CapturedProcess.Start("curl", arguments, _directory.Path, _directory.File($"curl-{Guid.NewGuid():N}.log"));
        Assert.True(await curl.WaitForExitAsync(TimeSpan.FromSeconds(20)), "curl did not finish");
        Assert.True(curl.ExitCode == 0, $"curl exited {curl.ExitCode}: {curl.Output}");
    }
}
