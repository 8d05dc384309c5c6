using System.Globalization;
using System.IO.Pipelines;
using CallTracking.Grpc.Buffers;
using CallTracking.Grpc.Protocol;
using CallTracking.Grpc.Web;
using Microsoft.AspNetCore.Http;

namespace CallTracking.Grpc.Server;

/// <summary>Status-only answers: trailers-only gRPC responses and gRPC-Web trailer frames.</summary>
internal static class GrpcResponses
{
    public static string ContentTypeOf(GrpcWireFormat format) => format switch
    {
        GrpcWireFormat.GrpcWeb => GrpcContentType.GrpcWeb,
        GrpcWireFormat.GrpcWebText => GrpcContentType.GrpcWebText,
        _ => GrpcContentType.Grpc,
    };

    public static string StatusText(StatusCode status) => ((int)status).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// PROTOCOL-HTTP2.md "Trailers-Only": one HEADERS frame with :status 200, content-type and the status,
    /// no body. Used for an error before any message.
    /// </summary>
    public static void SetTrailersOnly(HttpResponse response, StatusCode status, string? encodedMessage)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcContentType.Grpc;
        response.Headers[GrpcHeaders.Status] = StatusText(status);
        if (!string.IsNullOrEmpty(encodedMessage))
        {
            response.Headers[GrpcHeaders.Message] = encodedMessage;
        }
    }

    /// <summary>Writes the gRPC-Web trailer frame (base64 for -text) into the body.</summary>
    public static void WriteWebTrailerFrame(PipeWriter writer, bool text, StatusCode status, string? encodedMessage)
    {
        if (!text)
        {
            GrpcWebTrailers.Write(writer, (int)status, encodedMessage);
            return;
        }

        using var frame = new PooledBufferWriter();
        GrpcWebTrailers.Write(frame, (int)status, encodedMessage);
        GrpcWebText.Encode(frame.WrittenSpan, writer);
    }

    /// <summary>Answers a request with a status and no message, in the request's framing.</summary>
    public static async Task RejectAsync(HttpContext context, GrpcWireFormat format, StatusCode status, string message)
    {
        var encoded = GrpcMessageText.Encode(message);
        var response = context.Response;
        response.Headers[GrpcHeaders.AcceptEncoding] = GrpcHeaders.SupportedEncodings;
        if (format == GrpcWireFormat.Grpc)
        {
            SetTrailersOnly(response, status, encoded);
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentTypeOf(format);
        WriteWebTrailerFrame(response.BodyWriter, format == GrpcWireFormat.GrpcWebText, status, encoded);
        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
