using System.Text;
using CallTracking.Engine.Sip.Auth;

namespace CallTracking.Engine.Sip.Outbound;

/// <summary>
/// Answers a Digest challenge (RFC 7616 §3.4, RFC 2617 §3.2.2, as SIP uses it in RFC 3261 §22.4): MD5 and SHA-256,
/// their -sess variants, with qop=auth or without qop (RFC 2069 compatibility).
/// </summary>
public static class DigestAuthenticator
{
    /// <summary>The request-digest ("response" parameter).</summary>
    public static string ComputeResponse(DigestChallenge challenge, string username, string password, string method, string digestUri, string cnonce, uint nonceCount)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return challenge.QopAuth
            ? DigestHash.Response(challenge.Algorithm, username, challenge.Realm, password, method, digestUri, challenge.Nonce, NonceCount(nonceCount), cnonce, "auth")
            : DigestHash.Response(challenge.Algorithm, username, challenge.Realm, password, method, digestUri, challenge.Nonce, null, cnonce, null);
    }

    /// <summary>The Authorization / Proxy-Authorization header value.</summary>
    public static string BuildCredentials(DigestChallenge challenge, string username, string password, string method, string digestUri, string cnonce, uint nonceCount)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        var response = ComputeResponse(challenge, username, password, method, digestUri, cnonce, nonceCount);
        var builder = new StringBuilder();
        builder.Append("Digest username=\"").Append(Escape(username))
            .Append("\", realm=\"").Append(Escape(challenge.Realm))
            .Append("\", nonce=\"").Append(Escape(challenge.Nonce))
            .Append("\", uri=\"").Append(Escape(digestUri))
            .Append("\", response=\"").Append(response)
            .Append("\", algorithm=").Append(AlgorithmName(challenge.Algorithm));
        if (challenge.QopAuth)
        {
            builder.Append(", qop=auth, nc=").Append(NonceCount(nonceCount)).Append(", cnonce=\"").Append(Escape(cnonce)).Append('"');
        }

        if (challenge.Opaque is not null)
        {
            builder.Append(", opaque=\"").Append(Escape(challenge.Opaque)).Append('"');
        }

        return builder.ToString();
    }

    public static string AlgorithmName(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5Session => "MD5-sess",
        DigestAlgorithm.Sha256 => "SHA-256",
        DigestAlgorithm.Sha256Session => "SHA-256-sess",
        _ => "MD5",
    };

    private static string NonceCount(uint nonceCount) => nonceCount.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
