using System.Globalization;
using System.Text.Json;
using CallTracking.Engine.Api;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallTracking.Engine.Dashboard;

/// <summary>
/// The dashboard on the engine's HTTP endpoint: the single-page app at <c>/</c> (client-side routes after
/// <c>#</c>, so the server has one page to serve) with its files under <c>/assets/</c>, and the sign-in
/// endpoints <c>POST /dashboard/session</c> (user name and password → a <c>cts_</c> bearer token) and
/// <c>DELETE /dashboard/session</c> (sign out). The page talks to the engine with gRPC-Web using that token, or
/// an API key, as its bearer.
/// </summary>
public static partial class DashboardEndpoints
{
    public const string MeterName = "CallTracking.Dashboard";

    /// <summary>
    /// Everything the page loads comes from this origin; no inline script or style, no framing (clickjacking).
    /// media-src covers the signed recording URLs, which are on the engine's own HTTP endpoint.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const int MaximumBodyBytes = 16 * 1024;

    public static IServiceCollection AddCallTrackingDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardAssets>();
        services.TryAddSingleton<DashboardSessionStore>();
        services.AddSingleton<SignInThrottle>();
        return services;
    }

    public static WebApplication MapCallTrackingDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var assets = app.Services.GetRequiredService<DashboardAssets>();
        app.MapGet("/", (HttpContext context) => Serve(context, assets.Find("index.html")));
        app.MapGet("/index.html", (HttpContext context) => Serve(context, assets.Find("index.html")));
        app.MapGet("/assets/{**path}", (HttpContext context, string path) => Serve(context, assets.Find("assets/" + path)));

        var session = app.MapGroup("/dashboard/session");
        session.MapPost("", SignInAsync);
        session.MapDelete("", SignOutAsync);
        return app;
    }

    private static IResult Serve(HttpContext context, DashboardAsset? asset)
    {
        if (asset is null)
        {
            return ApiProblems.NotFound("There is no such dashboard file.");
        }

        var response = context.Response;
        AddSecurityHeaders(response);

        // Revalidate every time: the files change with the engine, and a 304 on the engine's own endpoint is cheap.
        // Nothing is hashed into file names (no build step), so nothing can be cached as immutable.
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Any(value => value is not null && EntityTagMatches(value, asset.ETag)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static bool EntityTagMatches(string header, string etag) =>
        header.Split(',').Select(tag => tag.Trim()).Any(tag => tag == "*" || tag == etag || tag == "W/" + etag);

    private static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";

        // Signed recording links must not leak to other sites through Referer.
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private static async Task<IResult> SignInAsync(HttpContext context, DashboardSessionStore sessions, SignInThrottle throttle, Privacy.IAuditSink audit, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(DashboardEndpoints));
        context.Response.Headers.CacheControl = "no-store";
        AddSecurityHeaders(context.Response);
        var (username, password, problem) = await ReadCredentialsAsync(context.Request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var address = context.Connection.RemoteIpAddress;
        if (throttle.RetryAfter(username!, address) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            LogThrottled(logger, username!, address?.ToString() ?? "-", seconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                $"Too many failed sign-ins for this user from this address; try again in {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        var session = await sessions.SignInAsync(username!, password!, context.RequestAborted).ConfigureAwait(false);
        // Both outcomes are on the audit trail (CancellationToken.None: a client hanging up does not erase the attempt).
        await audit.RecordAsync(
            session is null ? Privacy.AuditActions.SignInFailed : Privacy.AuditActions.SignIn,
            null,
            "user:" + username,
            "user:" + username,
            new System.Text.Json.Nodes.JsonObject { ["remote"] = address?.ToString() },
            CancellationToken.None).ConfigureAwait(false);
        if (session is null)
        {
            throttle.Failed(username!, address);
            LogRefused(logger, username!, address?.ToString() ?? "-");
            return TypedResults.Problem("The user name or password is wrong (or the user is disabled).", statusCode: StatusCodes.Status401Unauthorized);
        }

        throttle.Succeeded(username!, address);
        LogSignedIn(logger, username!, address?.ToString() ?? "-");
        return TypedResults.Json(new SessionResource(session.Token, session.ExpiresAt, username!), DashboardJsonContext.Default.SessionResource, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, DashboardSessionStore sessions)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : "";
        if (!SessionTokenFormat.IsShaped(token))
        {
            return TypedResults.Problem("Send the session token as 'Authorization: Bearer cts_…'.", statusCode: StatusCodes.Status401Unauthorized);
        }

        // Signing out twice is not an error: the session is gone either way.
        await sessions.SignOutAsync(token, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    /// <summary>The JSON body <c>{"username": …, "password": …}</c>; the password is taken exactly as sent (never trimmed).</summary>
    private static async Task<(string? Username, string? Password, IResult? Problem)> ReadCredentialsAsync(HttpRequest request)
    {
        if (!System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || mediaType.MediaType != "application/json")
        {
            return (null, null, ApiProblems.UnsupportedMediaType("The request body must be JSON (Content-Type: application/json)."));
        }

        if (request.ContentLength > MaximumBodyBytes)
        {
            return (null, null, TypedResults.Problem("The request body is too large.", statusCode: StatusCodes.Status413PayloadTooLarge));
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? username = null;
        string? password = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null, ApiProblems.BadRequest("The request body must be a JSON object."));
            }

            username = Member(document.RootElement, "username", errors)?.Trim();
            password = Member(document.RootElement, "password", errors);
            if (username is { Length: 0 })
            {
                errors["username"] = ["is required"];
            }
        }
        catch (JsonException e)
        {
            return (null, null, ApiProblems.BadRequest($"The request body is not valid JSON: {e.Message}"));
        }

        return errors.Count > 0 ? (null, null, ApiProblems.Invalid(errors)) : (username, password, null);
    }

    private static string? Member(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 1024 } text)
        {
            errors[name] = ["is required (a string of 1 to 1024 characters)"];
            return null;
        }

        return text;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard user {Username} signed in from {Remote}")]
    private static partial void LogSignedIn(ILogger logger, string username, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard sign-in as {Username} from {Remote} refused: wrong user name or password, or the user is disabled")]
    private static partial void LogRefused(ILogger logger, string username, string remote);

    // Warning: repeated failures for one name from one address look like password guessing.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard sign-ins as {Username} from {Remote} throttled for {Seconds} s after repeated failures")]
    private static partial void LogThrottled(ILogger logger, string username, string remote, int seconds);
}
