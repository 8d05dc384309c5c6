using System.Buffers;
using CallTracking.Grpc.Buffers;
using CallTracking.Grpc.Compression;
using CallTracking.Grpc.Framing;
using CallTracking.Grpc.Protocol;
using CallTracking.Grpc.Web;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace CallTracking.Grpc.Server;

/// <summary>Writing response messages and the status.</summary>
internal sealed partial class GrpcCall
{
    /// <summary>
    /// Frames one message straight into the response pipe and awaits its flush: a client that reads slowly
    /// (HTTP/2 flow control, a slow socket) makes this slow, which is the back-pressure the caller sees.
    /// </summary>
    public async Task WriteMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        // Handlers usually pass the call's own token: link only a different one (no allocation per message).
        using var linked = cancellationToken.CanBeCanceled && cancellationToken != CancellationToken
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, CancellationToken)
            : null;
        var token = linked?.Token ?? CancellationToken;
        token.ThrowIfCancellationRequested();
        var size = message.CalculateSize();
        if (size > _options.MaxSendMessageSize)
        {
            throw new GrpcException(StatusCode.ResourceExhausted, "Sending message exceeds the maximum configured message size.");
        }

        await _responseLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                // The status went out already (the deadline passed): nothing more reaches the client.
                throw new OperationCanceledException("The call has ended.", token);
            }

            EnsureHeaders();
            WriteFrame(message, size);
            _metrics.MessageSent(Method);
            var flushed = await _http.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                // The transport stopped reading: the client reset the stream or the connection is gone.
                throw new OperationCanceledException("The client is no longer receiving.", token);
            }
        }
        finally
        {
            _responseLock.Release();
        }
    }

    /// <summary>
    /// Sends the response headers (200, the content type) without a message and flushes them, unless headers or
    /// the status went out already. Afterwards the status can only go in trailers (no trailers-only response).
    /// </summary>
    public async Task WriteResponseHeadersAsync(CancellationToken cancellationToken)
    {
        using var linked = cancellationToken.CanBeCanceled && cancellationToken != CancellationToken
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, CancellationToken)
            : null;
        var token = linked?.Token ?? CancellationToken;
        await _responseLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (_completed || _headersWritten)
            {
                return;
            }

            EnsureHeaders();
            await _http.Response.StartAsync(token).ConfigureAwait(false);
            var flushed = await _http.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                throw new OperationCanceledException("The client is no longer receiving.", token);
            }
        }
        finally
        {
            _responseLock.Release();
        }
    }

    /// <summary>
    /// Sends the status: HTTP/2 trailers (or trailers-only), or the gRPC-Web trailer frame. The first status
    /// wins; false when one was sent already.
    /// </summary>
    public async Task<bool> CompleteAsync(StatusCode status, string? detail)
    {
        await _responseLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return false;
            }

            _completed = true;
            await WriteStatusAsync(status, detail).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _responseLock.Release();
        }
    }

    private async Task WriteStatusAsync(StatusCode status, string? detail)
    {
        var encoded = string.IsNullOrEmpty(detail) ? null : GrpcMessageText.Encode(detail);
        var response = _http.Response;
        if (_format == GrpcWireFormat.Grpc)
        {
            if (!_headersWritten && !response.HasStarted)
            {
                GrpcResponses.SetTrailersOnly(response, status, encoded);
                response.Headers[GrpcHeaders.AcceptEncoding] = GrpcHeaders.SupportedEncodings;
                return;
            }

            response.AppendTrailer(GrpcHeaders.Status, GrpcResponses.StatusText(status));
            if (encoded is not null)
            {
                response.AppendTrailer(GrpcHeaders.Message, encoded);
            }

            return;
        }

        EnsureHeaders();
        GrpcResponses.WriteWebTrailerFrame(response.BodyWriter, _format == GrpcWireFormat.GrpcWebText, status, encoded);
        await response.BodyWriter.FlushAsync(_http.RequestAborted).ConfigureAwait(false);
    }

    private void EnsureHeaders()
    {
        if (_headersWritten)
        {
            return;
        }

        _headersWritten = true;
        var response = _http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcResponses.ContentTypeOf(_format);
        response.Headers[GrpcHeaders.AcceptEncoding] = GrpcHeaders.SupportedEncodings;
        if (_compressResponses)
        {
            response.Headers[GrpcHeaders.Encoding] = GrpcHeaders.GzipEncoding;
        }
    }

    private void WriteFrame(IMessage message, int size)
    {
        var writer = _http.Response.BodyWriter;
        if (_format != GrpcWireFormat.GrpcWebText)
        {
            AppendFrame(message, size, writer);
            return;
        }

        // PROTOCOL-WEB.md: each message is base64-encoded on its own (padded), so a reader can decode as it goes.
        var frame = _frameBuffer ??= new PooledBufferWriter();
        frame.Reset();
        AppendFrame(message, size, frame);
        GrpcWebText.Encode(frame.WrittenSpan, writer);
    }

    private void AppendFrame(IMessage message, int size, IBufferWriter<byte> destination)
    {
        // An empty message goes uncompressed even on a gzip stream (the flag is per message, PROTOCOL-HTTP2.md
        // "Compressed-Flag"): its gzip member would be 20 bytes of nothing.
        if (!_compressResponses || size == 0)
        {
            var header = destination.GetSpan(GrpcFrameReader.HeaderSize);
            GrpcFrameReader.WriteHeader(header, 0, size);
            destination.Advance(GrpcFrameReader.HeaderSize);
            message.WriteTo(destination);
            return;
        }

        // The length prefix is the compressed size, so the message is compressed into pooled memory first.
        var plain = _plainBuffer ??= new PooledBufferWriter();
        plain.Reset();
        message.WriteTo(plain);
        var packed = _packedBuffer ??= new PooledBufferWriter();
        packed.Reset();
        GzipMessageCompression.Compress(plain.WrittenSpan, packed);
        var prefix = destination.GetSpan(GrpcFrameReader.HeaderSize);
        GrpcFrameReader.WriteHeader(prefix, GrpcFrame.CompressedFlag, packed.WrittenCount);
        destination.Advance(GrpcFrameReader.HeaderSize);
        destination.Write(packed.WrittenSpan);
    }
}
