using Microsoft.AspNetCore.Http;

namespace CallTracking.Grpc.Server;

/// <summary>What a method handler knows about its call besides the request message.</summary>
public sealed class ServerCallContext
{
    public ServerCallContext(HttpContext httpContext, string method, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        HttpContext = httpContext;
        Method = method;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>The HTTP exchange carrying the call (gRPC over HTTP/2, or gRPC-Web over HTTP/1.1 or HTTP/2).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The method's path, <c>/package.Service/Method</c>.</summary>
    public string Method { get; }

    /// <summary>The client's deadline (<c>grpc-timeout</c>), or null when it sent none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Cancelled when the client cancels or disconnects, the deadline passes, or the server stops.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Request metadata: the request headers (lower-case names; binary <c>-bin</c> values still base64).</summary>
    public IHeaderDictionary RequestHeaders => HttpContext.Request.Headers;

    /// <summary>The <c>authorization</c> metadata's bearer token, or null when there is none.</summary>
    public string? BearerToken
    {
        get
        {
            var authorization = HttpContext.Request.Headers.Authorization.ToString();
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
        }
    }
}
