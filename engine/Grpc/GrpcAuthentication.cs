using System.Diagnostics.Metrics;
using CallTracking.Engine.Api;
using CallTracking.Grpc.Server;

namespace CallTracking.Engine.Grpc;

/// <summary>
/// Who a gRPC call is: its <c>authorization: Bearer …</c> metadata through <see cref="IBearerAuthenticator"/>
/// (API keys today; dashboard sessions are added behind the same interface). No token or a token nobody accepts
/// ends the call UNAUTHENTICATED (counted, with the same meter as the REST API's refusals).
/// </summary>
public sealed class GrpcAuthentication
{
    private readonly IBearerAuthenticator _authenticator;
    private readonly Counter<long> _rejected;

    public GrpcAuthentication(IBearerAuthenticator authenticator, IMeterFactory meters)
    {
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

        return principal;
    }
}
