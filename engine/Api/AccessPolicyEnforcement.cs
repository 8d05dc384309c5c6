using System.Text.Json.Nodes;
using CallTracking.Engine.Privacy;
using CallTracking.Engine.Security;
using Microsoft.AspNetCore.Routing.Patterns;

namespace CallTracking.Engine.Api;

/// <summary>
/// Applies <see cref="AccessPolicy"/> to every authenticated REST request once routing has chosen the endpoint:
/// a role the table does not allow (or an endpoint the table does not know) is 403 with a problem body, counted on
/// the audit trail as <c>access.denied</c>. A configuration change that succeeded (POST, PUT, PATCH, DELETE with a
/// 2xx answer) is written to the audit trail here, so no endpoint has to remember to.
/// </summary>
internal sealed class AccessPolicyEnforcement
{
    private readonly RequestDelegate _next;
    private readonly IProblemDetailsService _problems;
    private readonly IAuditSink _audit;

    public AccessPolicyEnforcement(RequestDelegate next, IProblemDetailsService problems, IAuditSink audit)
    {
        _next = next;
        _problems = problems;
        _audit = audit;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Items[typeof(ApiPrincipal)] is not ApiPrincipal principal || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            // Not under /v1 (public endpoints), or no route matched (404/405 answered by routing itself).
            await _next(context).ConfigureAwait(false);
            return;
        }

        var key = AccessPolicy.RestKey(context.Request.Method, PatternText(endpoint.RoutePattern));
        if (!AccessPolicy.Allows(key, principal.Role))
        {
            await _audit.RecordAsync(AuditActions.AccessDenied, principal.OrganisationId, principal.Actor, key, new JsonObject
            {
                ["role"] = RoleNames.Name(principal.Role),
                ["path"] = context.Request.Path.Value,
            }, context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await _problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status403Forbidden,
                    Detail = $"The role {RoleNames.Name(principal.Role)} may not use {key}.",
                },
            }).ConfigureAwait(false);
            return;
        }

        await _next(context).ConfigureAwait(false);

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && context.Response.StatusCode is >= 200 and < 300
            && !key.Contains("/recording/", StringComparison.Ordinal))
        {
            // CancellationToken.None: the change happened; its audit entry must not be lost to a client hanging up.
            await _audit.RecordAsync(AuditActions.ConfigurationChange, principal.OrganisationId, principal.Actor, context.Request.Path.Value ?? key, new JsonObject
            {
                ["method"] = context.Request.Method,
                ["endpoint"] = key,
                ["status"] = context.Response.StatusCode,
                ["location"] = context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
            }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The pattern as mapped (group prefix included), e.g. <c>/v1/calls/{id:guid}</c>.</summary>
    internal static string PatternText(RoutePattern pattern) =>
        pattern.RawText is { } raw ? "/" + raw.Trim('/') : "/";
}
