using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using CallTracking.Grpc.Buffers;
using CallTracking.Grpc.Compression;
using CallTracking.Grpc.Framing;
using CallTracking.Grpc.Protocol;
using CallTracking.Grpc.Web;
using Google.Protobuf;

namespace CallTracking.Grpc.Server;

/// <summary>Reading the one request message of a unary or server-streaming call.</summary>
internal sealed partial class GrpcCall
{
    /// <summary>
    /// Reads exactly one message and the end of the request stream. Errors follow grpc-dotnet: no or a cut
    /// message and a second message are INTERNAL; a message over the cap is RESOURCE_EXHAUSTED, decided from
    /// the length prefix before the payload is buffered.
    /// </summary>
    public async ValueTask<T> ReadSingleRequestAsync<T>(MessageParser<T> parser)
        where T : IMessage<T>
    {
        var reader = _format == GrpcWireFormat.GrpcWebText
            ? await ReadTextBodyAsync().ConfigureAwait(false)
            : _http.Request.BodyReader;
        T? message = default;
        var received = false;
        while (true)
        {
            var result = await reader.ReadAsync(CancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (received)
            {
                if (!buffer.IsEmpty)
                {
                    ThrowAdditionalData();
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    return message!;
                }

                continue;
            }

            var status = GrpcFrameReader.TryRead(buffer, _options.MaxReceiveMessageSize, out var frame, out var consumed);
            if (status == FrameReadStatus.TooLarge)
            {
                ThrowReceiveTooLarge();
            }

            if (status == FrameReadStatus.Complete)
            {
                // Decode before advancing: the payload is a slice of the pipe's buffer.
                message = Decode(frame, parser);
                received = true;
                _metrics.MessageReceived(Method);
                if (!buffer.Slice(consumed).IsEmpty)
                {
                    ThrowAdditionalData();
                }

                reader.AdvanceTo(consumed);
                if (result.IsCompleted)
                {
                    return message;
                }

                continue;
            }

            if (result.IsCompleted)
            {
                throw new GrpcException(StatusCode.Internal, "Incomplete message.");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private T Decode<T>(in GrpcFrame frame, MessageParser<T> parser)
        where T : IMessage<T>
    {
        if ((frame.Flags & ~GrpcFrame.CompressedFlag) != 0)
        {
            throw new GrpcException(StatusCode.Internal, "Unexpected message flags.");
        }

        try
        {
            if (!frame.IsCompressed)
            {
                return parser.ParseFrom(frame.Payload);
            }

            // PROTOCOL-HTTP2.md: a compressed flag without a grpc-encoding is a protocol error (INTERNAL).
            if (!_requestGzip)
            {
                throw new GrpcException(StatusCode.Internal, "Request sent a compressed message without grpc-encoding.");
            }

            var plain = _plainBuffer ??= new PooledBufferWriter();
            plain.Reset();
            switch (GzipMessageCompression.TryDecompress(frame.Payload, _options.MaxReceiveMessageSize, plain))
            {
                case DecompressStatus.TooLarge:
                    ThrowReceiveTooLarge();
                    break;
                case DecompressStatus.Corrupt:
                    throw new GrpcException(StatusCode.Internal, "Request message is not valid gzip.");
            }

            return parser.ParseFrom(plain.WrittenSpan);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new GrpcException(StatusCode.Internal, "Failed to deserialize the request message.");
        }
    }

    /// <summary>
    /// application/grpc-web-text: the body is base64 (possibly several padded chunks), read whole — it holds one
    /// message, capped by its base64 size — and decoded into one pooled buffer the call owns.
    /// </summary>
    private async ValueTask<PipeReader> ReadTextBodyAsync()
    {
        var maxFrame = (long)_options.MaxReceiveMessageSize + GrpcFrameReader.HeaderSize;
        var cap = ((maxFrame + 2) / 3 * 4) + 16;
        var body = _http.Request.BodyReader;
        while (true)
        {
            var result = await body.ReadAsync(CancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > cap)
            {
                ThrowReceiveTooLarge();
            }

            if (!result.IsCompleted)
            {
                body.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var length = (int)buffer.Length;
            var base64 = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            try
            {
                buffer.CopyTo(base64);
                body.AdvanceTo(buffer.End);
                _textBody = ArrayPool<byte>.Shared.Rent(Math.Max(GrpcWebText.MaxDecodedLength(length), 1));
                if (!GrpcWebText.TryDecode(base64.AsSpan(0, length), _textBody, out var written))
                {
                    throw new GrpcException(StatusCode.Internal, "Request body is not valid base64.");
                }

                return PipeReader.Create(new ReadOnlySequence<byte>(_textBody, 0, written));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(base64);
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowAdditionalData() =>
        throw new GrpcException(StatusCode.Internal, "Additional data after the message received.");

    [DoesNotReturn]
    private static void ThrowReceiveTooLarge() =>
        throw new GrpcException(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");
}
