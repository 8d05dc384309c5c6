using System.Diagnostics.Metrics;

namespace CallTracking.Engine.Api;

/// <summary>
/// Authenticates every request under <c>/v1</c> by its API key (<c>Authorization: Bearer KEY</c>
/// or <c>X-Api-Key: KEY</c>) or dashboard session token (<c>Bearer cts_…</c>, see <see cref="BearerAuthenticator"/>) and stores the <see cref="ApiPrincipal"/> for the endpoints.
/// A missing or invalid key is 401 with <c>WWW-Authenticate: Bearer</c> and a problem body, and is counted.
/// </summary>
internal sealed partial class ApiKeyAuthentication
{
    private readonly RequestDelegate _next;
    private readonly BearerAuthenticator _keys;
    private readonly IProblemDetailsService _problems;
    private readonly Counter<long> _rejected;
    private readonly ILogger<ApiKeyAuthentication> _logger;

    public ApiKeyAuthentication(RequestDelegate next, BearerAuthenticator keys, IProblemDetailsService problems, IMeterFactory meters, ILogger<ApiKeyAuthentication> logger)
    {
        _next = next;
        _keys = keys;
        _problems = problems;
        _logger = logger;
        _rejected = meters.Create(ApiEndpoints.MeterName).CreateCounter<long>("calltracking.api.unauthorized", description: "API requests refused for a missing or invalid key");
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        var presented = PresentedKey(context.Request);
        var principal = presented is null ? null : await _keys.AuthenticateAsync(presented, context.RequestAborted).ConfigureAwait(false);
        if (principal is null)
        {
            _rejected.Add(1, new KeyValuePair<string, object?>("reason", presented is null ? "missing" : "invalid"));
            LogRejected(_logger, context.Connection.RemoteIpAddress?.ToString() ?? "-", presented is null ? "no key" : "invalid key");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = presented is null
                ? "Bearer realm=\"calltracking\""
                : "Bearer realm=\"calltracking\", error=\"invalid_token\"";
            await _problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status401Unauthorized,
                    Detail = presented is null
                        ? "An API key is required: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
                        : "The API key is not valid (unknown, revoked or mistyped).",
                },
            }).ConfigureAwait(false);
            return;
        }

        context.Items[typeof(ApiPrincipal)] = principal;
        await _next(context).ConfigureAwait(false);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var header = request.Headers["X-Api-Key"].ToString().Trim();
        return header.Length > 0 ? header : null;
    }

    // Debug: a scanner would otherwise fill the log; the counter shows the rate.
    [LoggerMessage(Level = LogLevel.Debug, Message = "API request from {Remote} refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string remote, string reason);
}
