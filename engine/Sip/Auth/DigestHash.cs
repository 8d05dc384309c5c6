using System.Security.Cryptography;
using System.Text;

namespace CallTracking.Engine.Sip.Auth;

/// <summary>
/// The request-digest of RFC 7616 §3.4.1 (RFC 2617 §3.2.2.1), the one piece of arithmetic both sides share: the
/// engine checking a trunk's INVITE (<see cref="DigestServer"/>) and the engine answering a trunk's challenge
/// (<c>Outbound.DigestAuthenticator</c>).
/// </summary>
public static class DigestHash
{
    /// <summary>The "response" parameter, lower-case hex. <paramref name="qop"/> null is RFC 2069's form (no nc, cnonce).</summary>
    public static string Response(
        DigestAlgorithm algorithm,
        string username,
        string realm,
        string password,
        string method,
        string uri,
        string nonce,
        string? nonceCount,
        string? cnonce,
        string? qop)
    {
        var ha1 = Hash(algorithm, $"{username}:{realm}:{password}");
        if (algorithm is DigestAlgorithm.Md5Session or DigestAlgorithm.Sha256Session)
        {
            // RFC 7616 §3.4.2: the -sess variants bind HA1 to this nonce and cnonce.
            ha1 = Hash(algorithm, $"{ha1}:{nonce}:{cnonce}");
        }

        var ha2 = Hash(algorithm, $"{method}:{uri}");
        return qop is null
            ? Hash(algorithm, $"{ha1}:{nonce}:{ha2}")
            : Hash(algorithm, $"{ha1}:{nonce}:{nonceCount}:{cnonce}:{qop}:{ha2}");
    }

    private static string Hash(DigestAlgorithm algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
#pragma warning disable CA5351 // RFC 7616 §3.3: MD5 is what most SIP trunks still use; kept for them, SHA-256 where the peer can.
        var digest = algorithm is DigestAlgorithm.Md5 or DigestAlgorithm.Md5Session ? MD5.HashData(bytes) : SHA256.HashData(bytes);
#pragma warning restore CA5351
        return Convert.ToHexStringLower(digest);
    }
}
