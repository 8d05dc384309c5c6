using System.Diagnostics.Metrics;
using CallTracking.Engine.Api;
using CallTracking.Engine.Privacy;
using CallTracking.Engine.Security;
using CallTracking.Grpc.Server;

namespace CallTracking.Engine.Grpc;

/// <summary>
/// Who a gRPC call is: its <c>authorization: Bearer …</c> metadata through <see cref="IBearerAuthenticator"/>
/// (API keys today; dashboard sessions are added behind the same interface). No token or a token nobody accepts
/// ends the call UNAUTHENTICATED (counted, with the same meter as the REST API's refusals); a role that
/// <see cref="AccessPolicy"/> does not allow on the method ends it PERMISSION_DENIED (on the audit trail).
/// </summary>
public sealed class GrpcAuthentication
{
    private readonly IBearerAuthenticator _authenticator;
    private readonly Counter<long> _rejected;

    private readonly IAuditSink? _audit;

    public GrpcAuthentication(IBearerAuthenticator authenticator, IMeterFactory meters, IAuditSink? audit = null)
    {
        _audit = audit;
        ArgumentNullException.ThrowIfNull(authenticator);
        ArgumentNullException.ThrowIfNull(meters);
        _authenticator = authenticator;
        _rejected = meters.Create(ApiEndpoints.MeterName).CreateCounter<long>("calltracking.grpc.unauthenticated", description: "gRPC calls refused for a missing or invalid bearer token");
    }

    public async Task<ApiPrincipal> AuthenticateAsync(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bearer = context.BearerToken;
        if (string.IsNullOrEmpty(bearer))
        {
            _rejected.Add(1, new KeyValuePair<string, object?>("reason", "missing"));
            throw new GrpcException(StatusCode.Unauthenticated, "an API key is required: send the metadata 'authorization: Bearer <key>'");
        }

        var principal = await _authenticator.AuthenticateAsync(bearer, context.CancellationToken).ConfigureAwait(false);
        if (principal is null)
        {
            _rejected.Add(1, new KeyValuePair<string, object?>("reason", "invalid"));
            throw new GrpcException(StatusCode.Unauthenticated, "the API key is not valid (unknown, revoked or mistyped)");
        }

        // One policy table for REST and gRPC (Security/AccessPolicy): the method path is the key.
        if (!AccessPolicy.Allows(context.Method, principal.Role))
        {
            if (_audit is not null)
            {
                await _audit.RecordAsync(AuditActions.AccessDenied, principal.OrganisationId, principal.Actor, context.Method, new System.Text.Json.Nodes.JsonObject
                {
                    ["role"] = RoleNames.Name(principal.Role),
                }, context.CancellationToken).ConfigureAwait(false);
            }

            throw new GrpcException(StatusCode.PermissionDenied, $"the role {RoleNames.Name(principal.Role)} may not call {context.Method}");
        }

        return principal;
    }
}
