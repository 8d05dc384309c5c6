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

    /// <summary>
    /// Sends the response headers before the first message, as grpc-dotnet's <c>WriteResponseHeadersAsync</c>: a
    /// streaming client then knows its call was accepted (a subscription is registered) while no message has come.
    /// Later messages and the status follow as usual; a no-op once headers went out or the call ended.
    /// </summary>
    public Task WriteResponseHeadersAsync() => ResponseHeaderWriter?.Invoke() ?? Task.CompletedTask;

    /// <summary>Set by the wire layer; null for a context built outside a call (tests calling handlers directly).</summary>
    internal Func<Task>? ResponseHeaderWriter { get; init; }

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
