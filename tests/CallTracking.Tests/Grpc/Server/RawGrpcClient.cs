using System.Buffers;
using System.Net;
using CallTracking.Grpc.Compression;
using CallTracking.Grpc.Framing;
using Google.Protobuf;

namespace CallTracking.Tests.Grpc.Server;

/// <summary>gRPC by hand over HttpClient: h2c with prior knowledge, or HTTP/1.1 for gRPC-Web.</summary>
internal sealed class RawGrpcClient : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(30) };

    public static byte[] Frame(IMessage message, bool compress = false) => Frame(message.ToByteArray(), compress);

    public static byte[] Frame(byte[] payload, bool compress = false)
    {
        var body = payload;
        if (compress)
        {
            var packed = new ArrayBufferWriter<byte>();
            GzipMessageCompression.Compress(payload, packed);
            body = packed.WrittenSpan.ToArray();
        }

        var frame = new byte[GrpcFrameReader.HeaderSize + body.Length];
        GrpcFrameReader.WriteHeader(frame, compress ? GrpcFrame.CompressedFlag : (byte)0, body.Length);
        body.CopyTo(frame, GrpcFrameReader.HeaderSize);
        return frame;
    }

    public static HttpRequestMessage Request(Uri server, string path, byte[] body, string contentType = "application/grpc", Version? version = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public async Task<RawGrpcReply> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using var response = await _client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return RawGrpcReply.From(response, body);
    }

    public Task<HttpResponseMessage> SendStreamingAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>Reads exactly one frame from a response stream (for watching a stream arrive message by message).</summary>
    public static async Task<(byte Flags, byte[] Payload)> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[GrpcFrameReader.HeaderSize];
        await stream.ReadExactlyAsync(header, cancellationToken);
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        return (header[0], payload);
    }

    public void Dispose() => _client.Dispose();
}
