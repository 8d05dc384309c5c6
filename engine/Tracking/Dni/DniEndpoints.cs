using System.Diagnostics.Metrics;
using CallTracking.Engine.Api;

namespace CallTracking.Engine.Tracking.Dni;

/// <summary>
/// The public side of dynamic number insertion, outside <c>/v1</c> (no API key: a web page calls it):
/// <list type="bullet">
/// <item><c>GET /dni.js</c>: the script, cacheable (ETag, five minutes, then revalidated).</item>
/// <item><c>POST /dni/v1/sessions?key=PUBLIC_KEY</c>: a page view; starts or resumes the visitor's session and
/// returns the number to show.</item>
/// <item><c>POST /dni/v1/sessions/{id}/heartbeat?key=PUBLIC_KEY</c>: keeps the session and its lease; 404 when the
/// session has ended (the script then starts a new one).</item>
/// <item><c>POST /dni/v1/assign</c> with <c>Authorization: Bearer SITE_SECRET</c>: the same for a website's own back
/// end (server-side assignment, first-party, unaffected by browsers' limits on script-set cookies).</item>
/// </list>
/// Browser requests are allowed only from the site's configured origins (CORS, Fetch §3.2), limited per client
/// address (<see cref="DniRateLimiter"/>), and every refusal is a problem response counted by reason in
/// <c>calltracking.dni.rejected</c>.
/// </summary>
public static partial class DniEndpoints
{
    public static IServiceCollection AddCallTrackingDni(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var perMinute = int.TryParse(configuration[DniRateLimiter.RequestsPerMinuteKey], out var configured) && configured > 0 ? configured : DniRateLimiter.DefaultRequestsPerMinute;
        services.AddSingleton(new DniRateLimiter(perMinute));
        services.AddSingleton<DniScript>();
        services.AddSingleton<DniStore>();
        return services;
    }

    public static WebApplication MapCallTrackingDni(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var script = app.Services.GetRequiredService<DniScript>();
        var rejected = app.Services.GetRequiredService<IMeterFactory>().Create(DniStore.MeterName)
            .CreateCounter<long>("calltracking.dni.rejected", description: "Public DNI requests refused, by reason");
        var endpoints = new Handlers(
            app.Services.GetRequiredService<DniStore>(),
            app.Services.GetRequiredService<DniRateLimiter>(),
            rejected,
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DniEndpoints).FullName!));

        app.MapGet("/dni.js", (HttpContext context) => ServeScript(context, script));
        app.MapPost("/dni/v1/sessions", (Delegate)endpoints.SessionAsync);
        app.MapPost("/dni/v1/sessions/{id}/heartbeat", (Func<string, HttpContext, Task<IResult>>)endpoints.HeartbeatAsync);
        app.MapMethods("/dni/v1/sessions", ["OPTIONS"], (Delegate)endpoints.PreflightAsync);
        app.MapMethods("/dni/v1/sessions/{id}/heartbeat", ["OPTIONS"], (Delegate)endpoints.PreflightAsync);
        app.MapPost("/dni/v1/assign", (Delegate)endpoints.AssignAsync);
        return app;
    }

    private static IResult ServeScript(HttpContext context, DniScript script)
    {
        var response = context.Response;

        // Five minutes fresh in browsers and proxies, then revalidated by ETag: a new engine's script reaches pages
        // within minutes without a cache-busting URL in every site's HTML.
        response.Headers.CacheControl = "public, max-age=300";
        response.Headers.ETag = script.ETag;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.AccessControlAllowOrigin = "*";
        if (context.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == script.ETag || t == "W/" + script.ETag)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(script.Content, "text/javascript; charset=utf-8");
    }
}
