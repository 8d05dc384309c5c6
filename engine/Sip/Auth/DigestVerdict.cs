namespace CallTracking.Engine.Sip.Auth;

/// <summary>What <see cref="DigestServer.Verify"/> made of an Authorization header.</summary>
public enum DigestVerdict
{
    /// <summary>The credentials are right and the nonce is ours and fresh.</summary>
    Valid,

    /// <summary>The nonce is ours but expired: challenge again with <c>stale=true</c> (RFC 7616 §3.3).</summary>
    Stale,

    /// <summary>The nonce is not one we issued (or is from the future): challenge again.</summary>
    UnknownNonce,

    /// <summary>Not a digest header we can read (missing parameters, unsupported algorithm or qop): challenge again.</summary>
    Malformed,

    /// <summary>Our fresh nonce with the wrong username, realm or password: refuse (403).</summary>
    WrongCredentials,
}
