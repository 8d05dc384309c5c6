using CallTracking.Grpc.Diagnostics;
using CallTracking.Grpc.Protocol;
using CallTracking.Grpc.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallTracking.Grpc.Server;

/// <summary>
/// The middleware: takes gRPC and gRPC-Web requests (by content type) to their method, refuses what the
/// protocol does not allow, and sends every call's status. Everything else goes to the next middleware.
/// </summary>
internal sealed class GrpcDispatcher(
    RequestDelegate next,
    GrpcMethodRegistry registry,
    IOptions<GrpcServerOptions> options,
    GrpcMetrics metrics,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ILogger<GrpcDispatcher> logger)
{
    private const string DeadlineExceededDetail = "Deadline Exceeded";

    private readonly GrpcServerOptions _options = options.Value;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var format = GrpcContentType.Classify(request.ContentType);
        if (format is GrpcWireFormat.GrpcWeb or GrpcWireFormat.GrpcWebText && !_options.EnableGrpcWeb)
        {
            format = GrpcWireFormat.None;
        }

        if (format != GrpcWireFormat.None)
        {
            return HandleAsync(context, format);
        }

        // A browser asks before a cross-origin gRPC-Web POST (its content type is not CORS-safelisted).
        if (_options.EnableGrpcWeb && GrpcWebCors.IsPreflight(request) && registry.TryGetMethod(request.Path.Value ?? string.Empty, out _))
        {
            GrpcWebCors.WritePreflight(context);
            return Task.CompletedTask;
        }

        return next(context);
    }

    private async Task HandleAsync(HttpContext context, GrpcWireFormat format)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? string.Empty;
        if (format is GrpcWireFormat.GrpcWeb or GrpcWireFormat.GrpcWebText)
        {
            GrpcWebCors.AddResponseHeaders(context);
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            // PROTOCOL-HTTP2.md: ":method POST" only.
            metrics.RequestRejected(RejectReasons.NotPost);
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "POST";
            return;
        }

        if (format == GrpcWireFormat.UnsupportedFormat)
        {
            // PROTOCOL-HTTP2.md: a content type we do not speak is answered 415.
            metrics.RequestRejected(RejectReasons.UnsupportedContentType);
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        if (format == GrpcWireFormat.Grpc && !HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            // gRPC needs HTTP/2 (streams and trailers); grpc-dotnet answers 426 with a gRPC status as well.
            metrics.RequestRejected(RejectReasons.NotHttp2);
            GrpcLog.NotHttp2(logger, path, request.Protocol);
            response.StatusCode = StatusCodes.Status426UpgradeRequired;
            response.ContentType = GrpcContentType.Grpc;
            response.Headers[GrpcHeaders.Status] = GrpcResponses.StatusText(StatusCode.Internal);
            response.Headers[GrpcHeaders.Message] = GrpcMessageText.Encode($"Request protocol '{request.Protocol}' is not supported.");
            return;
        }

        if (!registry.TryGetMethod(path, out var method))
        {
            metrics.RequestRejected(RejectReasons.UnknownMethod);
            GrpcLog.UnknownMethod(logger, path);
            await GrpcResponses.RejectAsync(context, format, StatusCode.Unimplemented, $"Method {path} is unimplemented.").ConfigureAwait(false);
            return;
        }

        if (!TryReadRequestEncoding(request, out var requestGzip))
        {
            // PROTOCOL-HTTP2.md / compression.md: an encoding we do not support is UNIMPLEMENTED, with
            // grpc-accept-encoding telling the client what we do support.
            var encoding = request.Headers[GrpcHeaders.Encoding].ToString();
            metrics.RequestRejected(RejectReasons.UnsupportedEncoding);
            GrpcLog.UnsupportedEncoding(logger, path, encoding);
            await GrpcResponses.RejectAsync(context, format, StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {GrpcHeaders.SupportedEncodings}").ConfigureAwait(false);
            return;
        }

        TimeSpan? timeout = null;
        var timeoutHeader = request.Headers[GrpcHeaders.Timeout].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (GrpcTimeout.TryParse(timeoutHeader, out var parsed))
            {
                timeout = parsed;
            }
            else
            {
                GrpcLog.InvalidTimeout(logger, path, timeoutHeader);
            }
        }

        // Message sizes are capped per message by the options; a stream's total is not a body size.
        var bodySize = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodySize is { IsReadOnly: false })
        {
            bodySize.MaxRequestBodySize = null;
        }

        var compress = _options.CompressResponses && AcceptsGzip(request);
        using var call = new GrpcCall(context, path, format, _options, metrics, timeProvider, timeout, requestGzip, compress, lifetime.ApplicationStopping);
        metrics.CallStarted(path);
        var run = RunAsync(method, call, context);
        if (await Task.WhenAny(run, call.DeadlinePassed).ConfigureAwait(false) != run)
        {
            // PROTOCOL-HTTP2.md "Timeout": the call ends at the deadline even when the handler is slow to notice
            // its cancelled token; its later writes fail. The middleware still waits for it below, so nothing
            // touches the HttpContext after the request is done.
            GrpcLog.DeadlineExceeded(logger, path);
            await SendStatusAsync(call, context, StatusCode.DeadlineExceeded, DeadlineExceededDetail, endResponse: true).ConfigureAwait(false);
        }

        var (status, detail) = await run.ConfigureAwait(false);
        metrics.CallCompleted(path, status);
        if (context.RequestAborted.IsCancellationRequested)
        {
            GrpcLog.ClientGone(logger, null, path);
            return;
        }

        await SendStatusAsync(call, context, status, detail).ConfigureAwait(false);
    }

    private async Task SendStatusAsync(GrpcCall call, HttpContext context, StatusCode status, string? detail, bool endResponse = false)
    {
        try
        {
            if (await call.CompleteAsync(status, detail).ConfigureAwait(false) && endResponse)
            {
                // Sends the trailers (or the trailers-only headers) now, not when the handler returns.
                await context.Response.CompleteAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            GrpcLog.ClientGone(logger, e, call.Method);
        }
    }

    private async Task<(StatusCode Status, string? Detail)> RunAsync(GrpcMethod method, GrpcCall call, HttpContext context)
    {
        StatusCode status;
        string? detail;
        try
        {
            await method.RunAsync(call).ConfigureAwait(false);
            status = StatusCode.OK;
            detail = null;
        }
        catch (GrpcException e)
        {
            status = e.Status;
            detail = e.Detail;
        }
        catch (Exception e) when (call.CancellationToken.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            (status, detail) = lifetime.ApplicationStopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested
                ? (StatusCode.Unavailable, "The server is shutting down.")
                : (StatusCode.Cancelled, "The call was cancelled.");
        }
#pragma warning disable CA1031 // A handler's failure is the client's INTERNAL status, never the server's crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            GrpcLog.HandlerFailed(logger, e, method.Path);
            status = StatusCode.Internal;
            detail = "Exception was thrown by handler.";
        }

        if (call.DeadlineExceeded)
        {
            // PROTOCOL-HTTP2.md "Timeout": past the deadline the call ends DEADLINE_EXCEEDED, whatever the handler did.
            status = StatusCode.DeadlineExceeded;
            detail = DeadlineExceededDetail;
        }

        if (status != StatusCode.OK)
        {
            GrpcLog.CallFailed(logger, method.Path, status.ToString(), detail);
        }

        return (status, detail);
    }

    private static bool TryReadRequestEncoding(HttpRequest request, out bool gzip)
    {
        gzip = false;
        var value = request.Headers[GrpcHeaders.Encoding].ToString().Trim();
        if (value.Length == 0 || value.Equals(GrpcHeaders.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        gzip = value.Equals(GrpcHeaders.GzipEncoding, StringComparison.OrdinalIgnoreCase);
        return gzip;
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var header in request.Headers[GrpcHeaders.AcceptEncoding])
        {
            if (header is null)
            {
                continue;
            }

            foreach (var token in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.Equals(GrpcHeaders.GzipEncoding, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
