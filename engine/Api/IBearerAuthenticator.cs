namespace CallTracking.Engine.Api;

/// <summary>
/// Turns a presented bearer token into the principal it stands for. <see cref="ApiKeyStore"/> accepts API keys;
/// other token kinds (dashboard sessions) are added by composing implementations behind this one method.
/// </summary>
public interface IBearerAuthenticator
{
    /// <summary>The principal, or null when the token is malformed, unknown, revoked or wrong.</summary>
    Task<ApiPrincipal?> AuthenticateAsync(string bearer, CancellationToken cancellationToken);
}
