using System.Diagnostics.Metrics;
using CallTracking.Engine.Api;

namespace CallTracking.Engine.Tracking.Dni;

public static partial class DniEndpoints
{
    /// <summary>The request handlers and what they share; one instance per application.</summary>
    private sealed partial class Handlers(DniStore store, DniRateLimiter limiter, Counter<long> rejected, ILogger logger)
    {
        public async Task<IResult> SessionAsync(HttpContext context)
        {
            var (site, refusal) = await BrowserSiteAsync(context).ConfigureAwait(false);
            if (site is null)
            {
                return refusal!;
            }

            var (request, problem) = await DniRequest.ReadAsync(context.Request).ConfigureAwait(false);
            if (request is null)
            {
                return BodyProblem(problem!);
            }

            var visitor = request.VisitorId(required: true);
            var session = request.SessionId();
            var touch = request.Touch(context.Request.Headers.UserAgent.ToString());
            if (request.Errors.Count > 0)
            {
                return Invalid(request.Errors);
            }

            var assignment = await store.VisitAsync(site, visitor!, session, touch, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted).ConfigureAwait(false);
            return Assignment(context, assignment!);
        }

        public async Task<IResult> HeartbeatAsync(string id, HttpContext context)
        {
            var (site, refusal) = await BrowserSiteAsync(context).ConfigureAwait(false);
            if (site is null)
            {
                return refusal!;
            }

            var (request, problem) = await DniRequest.ReadAsync(context.Request).ConfigureAwait(false);
            if (request is null)
            {
                return BodyProblem(problem!);
            }

            var visitor = request.VisitorId(required: true);
            if (!Guid.TryParse(id, out var sessionId))
            {
                return Reject("invalid", ApiProblems.Invalid(new Dictionary<string, string[]> { ["id"] = ["must be a session id (a UUID)"] }));
            }

            if (request.Errors.Count > 0)
            {
                return Invalid(request.Errors);
            }

            var assignment = await store.VisitAsync(site, visitor!, sessionId, null, null, context.RequestAborted).ConfigureAwait(false);
            return assignment is null
                ? ApiProblems.NotFound("The session has ended; start a new one (POST /dni/v1/sessions).")
                : Assignment(context, assignment);
        }

        /// <summary>CORS preflight (Fetch §3.2.2): the site's origins may POST JSON.</summary>
        public async Task<IResult> PreflightAsync(HttpContext context)
        {
            var (site, refusal) = await BrowserSiteAsync(context).ConfigureAwait(false);
            if (site is null)
            {
                return refusal!;
            }

            var headers = context.Response.Headers;
            headers.AccessControlAllowMethods = "POST";
            headers.AccessControlAllowHeaders = "Content-Type";
            headers.AccessControlMaxAge = "600";
            return TypedResults.NoContent();
        }

        /// <summary>Server-side assignment: the site's back end, authenticated by the site secret.</summary>
        public async Task<IResult> AssignAsync(HttpContext context)
        {
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "-";
            if (!limiter.TryAcquire(address))
            {
                return RateLimited(context);
            }

            var authorization = context.Request.Headers.Authorization.ToString();
            var secret = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : string.Empty;
            var site = secret.StartsWith("dss_", StringComparison.Ordinal) && secret.Length < 100
                ? await store.FindSiteBySecretAsync(secret, context.RequestAborted).ConfigureAwait(false)
                : null;
            if (site is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"calltracking-dni\"";
                return Reject("unauthorized", TypedResults.Problem("The site secret is missing or wrong: send 'Authorization: Bearer <site secret>'.", statusCode: StatusCodes.Status401Unauthorized));
            }

            var (request, problem) = await DniRequest.ReadAsync(context.Request).ConfigureAwait(false);
            if (request is null)
            {
                return BodyProblem(problem!);
            }

            // The back end may not know a visitor id yet (first visit): one is made and returned for it to keep.
            var visitor = request.VisitorId(required: false) ?? Guid.NewGuid().ToString("N");
            var session = request.SessionId();
            var touch = request.Touch(null);
            var ip = request.Text("ip_address", 64, required: false);
            if (request.Errors.Count > 0)
            {
                return Invalid(request.Errors);
            }

            var assignment = await store.VisitAsync(site, visitor, session, touch, ip, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Json(assignment!, DniPublicJson.Default.DniAssignment);
        }

        /// <summary>The rate limit, the site of <c>?key=</c>, and the Origin check; on success the CORS response headers are set.</summary>
        private async Task<(DniSite? Site, IResult? Refusal)> BrowserSiteAsync(HttpContext context)
        {
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "-";
            if (!limiter.TryAcquire(address))
            {
                return (null, RateLimited(context));
            }

            var key = context.Request.Query["key"].ToString();
            var site = key.StartsWith("dpk_", StringComparison.Ordinal) && key.Length < 100
                ? await store.FindSiteByKeyAsync(key, context.RequestAborted).ConfigureAwait(false)
                : null;
            if (site is null)
            {
                return (null, Reject("unknown_key", TypedResults.Problem("No site has this key (?key= must be the site's public key, dpk_…).", statusCode: StatusCodes.Status403Forbidden)));
            }

            var origin = context.Request.Headers.Origin.ToString();
            if (origin.Length > 0)
            {
                if (!site.Allows(origin))
                {
                    LogOriginRefused(logger, origin, site.Name);
                    return (null, Reject("origin", TypedResults.Problem($"Pages of {origin} may not use this site's numbers; add the origin to the site's allowed_origins.", statusCode: StatusCodes.Status403Forbidden)));
                }

                context.Response.Headers.AccessControlAllowOrigin = origin;
                context.Response.Headers.Vary = "Origin";
            }

            return (site, null);
        }

        private static IResult Assignment(HttpContext context, DniAssignment assignment)
        {
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Json(assignment, DniPublicJson.Default.DniAssignment);
        }

        private IResult RateLimited(HttpContext context)
        {
            context.Response.Headers.RetryAfter = "60";
            return Reject("rate_limited", TypedResults.Problem("Too many requests from this address; try again in a minute.", statusCode: StatusCodes.Status429TooManyRequests));
        }

        private IResult BodyProblem(string reason) => reason == "too_large"
            ? Reject(reason, TypedResults.Problem($"The request body is larger than {DniRequest.MaximumBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge))
            : Reject(reason, ApiProblems.BadRequest("The request body must be a JSON object."));

        private IResult Invalid(Dictionary<string, string[]> errors) => Reject("invalid", ApiProblems.Invalid(errors));

        private IResult Reject(string reason, IResult result)
        {
            rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
            return result;
        }

        [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "DNI request from origin {Origin} refused: not an allowed origin of site {Site}")]
        private static partial void LogOriginRefused(ILogger logger, string origin, string site);
    }
}
