using CallTracking.Engine.Dashboard;

namespace CallTracking.Engine.Api;

/// <summary>
/// What a bearer credential stands for, whichever kind it is: an API key (<c>ctk_…</c>, <see cref="ApiKeyStore"/>)
/// or a dashboard session token (<c>cts_…</c>, <see cref="DashboardSessionStore"/>). The scheme prefix picks the
/// store, so a credential is looked up once, in the one table it can be in.
/// </summary>
public sealed class BearerAuthenticator : IBearerAuthenticator
{
    private readonly ApiKeyStore _keys;
    private readonly DashboardSessionStore _sessions;

    public BearerAuthenticator(ApiKeyStore keys, DashboardSessionStore sessions)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(sessions);
        _keys = keys;
        _sessions = sessions;
    }

    /// <summary>The principal, or null when the credential is malformed, unknown, revoked, expired or wrong.</summary>
    public Task<ApiPrincipal?> AuthenticateAsync(string? bearer, CancellationToken cancellationToken) =>
        SessionTokenFormat.IsShaped(bearer)
            ? _sessions.AuthenticateAsync(bearer, cancellationToken)
            : _keys.AuthenticateAsync(bearer, cancellationToken);
}
