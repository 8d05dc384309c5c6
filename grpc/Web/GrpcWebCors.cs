using Microsoft.AspNetCore.Http;

namespace CallTracking.Grpc.Web;

/// <summary>
/// CORS for browsers calling gRPC-Web from another origin (Fetch standard §3.2): the preflight names the
/// headers a gRPC-Web client sends, and responses expose the status headers a trailers-only answer carries.
/// The request's origin is allowed as it is: calls are authorised by bearer tokens, never by cookies.
/// </summary>
public static class GrpcWebCors
{
    public const string AllowedHeaders = "authorization, content-type, x-grpc-web, x-user-agent, grpc-timeout, grpc-accept-encoding";
    public const string ExposedHeaders = "grpc-status, grpc-message, grpc-encoding";
    private const string AllowedMethods = "POST, OPTIONS";
    private const string MaxAgeSeconds = "7200";

    /// <summary>An OPTIONS request with an origin and Access-Control-Request-Method: a CORS preflight.</summary>
    public static bool IsPreflight(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsOptions(request.Method)
            && !string.IsNullOrEmpty(request.Headers.Origin)
            && !string.IsNullOrEmpty(request.Headers.AccessControlRequestMethod);
    }

    /// <summary>Answers a preflight: 204 with the allowed origin, method and headers.</summary>
    public static void WritePreflight(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status204NoContent;
        response.Headers.AccessControlAllowOrigin = context.Request.Headers.Origin;
        response.Headers.AccessControlAllowMethods = AllowedMethods;
        response.Headers.AccessControlAllowHeaders = AllowedHeaders;
        response.Headers.AccessControlMaxAge = MaxAgeSeconds;
        response.Headers.Vary = "Origin";
    }

    /// <summary>Adds the CORS headers of an actual gRPC-Web response, when the request came with an origin.</summary>
    public static void AddResponseHeaders(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var origin = context.Request.Headers.Origin;
        if (string.IsNullOrEmpty(origin))
        {
            return;
        }

        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlExposeHeaders = ExposedHeaders;
        headers.Vary = "Origin";
    }
}
