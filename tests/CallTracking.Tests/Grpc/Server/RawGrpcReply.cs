using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using CallTracking.Grpc.Framing;
using CallTracking.Grpc.Web;

namespace CallTracking.Tests.Grpc.Server;

/// <summary>A whole gRPC answer as an HTTP client sees it: status line, headers, frames, trailers.</summary>
internal sealed class RawGrpcReply
{
    public required HttpStatusCode HttpStatus { get; init; }

    public required HttpResponseHeaders Headers { get; init; }

    public required HttpContentHeaders ContentHeaders { get; init; }

    public required HttpResponseHeaders Trailers { get; init; }

    public required IReadOnlyList<(byte Flags, byte[] Payload)> Frames { get; init; }

    /// <summary>grpc-status from the trailers, the trailers-only headers, or a gRPC-Web trailer frame.</summary>
    public string? GrpcStatus => Find("grpc-status");

    public string? GrpcMessage => Find("grpc-message");

    public IEnumerable<(byte Flags, byte[] Payload)> Messages => Frames.Where(frame => (frame.Flags & GrpcFrame.TrailersFlag) == 0);

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : ContentHeaders.TryGetValues(name, out var content) ? string.Join(",", content) : null;

    public static RawGrpcReply From(HttpResponseMessage response, byte[] body)
    {
        var frames = new List<(byte, byte[])>();
        var input = new ReadOnlySequence<byte>(body);
        while (GrpcFrameReader.TryRead(input, int.MaxValue, out var frame, out var consumed) == FrameReadStatus.Complete)
        {
            frames.Add((frame.Flags, frame.Payload.ToArray()));
            input = input.Slice(consumed);
        }

        if (!input.IsEmpty)
        {
            throw new InvalidDataException($"{input.Length} bytes after the last whole frame");
        }

        return new RawGrpcReply
        {
            HttpStatus = response.StatusCode,
            Headers = response.Headers,
            ContentHeaders = response.Content.Headers,
            Trailers = response.TrailingHeaders,
            Frames = frames,
        };
    }

    private string? Find(string name)
    {
        if (Trailers.TryGetValues(name, out var trailer))
        {
            return trailer.Single();
        }

        if (Headers.TryGetValues(name, out var header))
        {
            return header.Single();
        }

        var web = Frames.Where(frame => (frame.Flags & GrpcFrame.TrailersFlag) != 0).ToList();
        return web.Count == 1 && GrpcWebTrailers.Parse(new ReadOnlySequence<byte>(web[0].Payload)).TryGetValue(name, out var value) ? value : null;
    }
}
