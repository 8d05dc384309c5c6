using CallTracking.Engine.Sip.Auth;
using System.Text;

namespace CallTracking.Engine.Sip.Outbound;

/// <summary>A parsed WWW-Authenticate / Proxy-Authenticate Digest challenge (RFC 7616 §3.3, RFC 3261 §22.4).</summary>
public sealed record DigestChallenge(string Realm, string Nonce, string? Opaque, DigestAlgorithm Algorithm, bool QopAuth, bool Stale)
{
    /// <summary>Reads the challenge; false for another scheme, a missing realm or nonce, or an algorithm or qop we
    /// cannot answer (auth-int only).</summary>
    public static bool TryParse(ReadOnlySpan<byte> headerValue, out DigestChallenge? challenge)
    {
        challenge = null;
        var text = Encoding.ASCII.GetString(headerValue).Trim();
        if (!text.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || (text.Length > 6 && !char.IsWhiteSpace(text[6])))
        {
            return false;
        }

        var parameters = ParseParameters(text.AsSpan(6));
        if (!parameters.TryGetValue("realm", out var realm) || !parameters.TryGetValue("nonce", out var nonce))
        {
            return false;
        }

        var algorithm = DigestAlgorithm.Md5;
        if (parameters.TryGetValue("algorithm", out var algorithmName))
        {
            switch (algorithmName.ToUpperInvariant())
            {
                case "MD5":
                    break;
                case "MD5-SESS":
                    algorithm = DigestAlgorithm.Md5Session;
                    break;
                case "SHA-256":
                    algorithm = DigestAlgorithm.Sha256;
                    break;
                case "SHA-256-SESS":
                    algorithm = DigestAlgorithm.Sha256Session;
                    break;
                default:
                    return false;
            }
        }

        var qopAuth = false;
        if (parameters.TryGetValue("qop", out var qop))
        {
            foreach (var option in qop.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                qopAuth |= option.Equals("auth", StringComparison.OrdinalIgnoreCase);
            }

            if (!qopAuth)
            {
                return false;
            }
        }

        parameters.TryGetValue("opaque", out var opaque);
        var stale = parameters.TryGetValue("stale", out var staleText) && staleText.Equals("true", StringComparison.OrdinalIgnoreCase);
        challenge = new DigestChallenge(realm, nonce, opaque, algorithm, qopAuth, stale);
        return true;
    }

    /// <summary>auth-param list: name=token or name="quoted string" (with \-escapes), comma-separated.</summary>
    private static Dictionary<string, string> ParseParameters(ReadOnlySpan<char> text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',')
            {
                i++;
            }

            var name = text[nameStart..i].Trim().ToString();
            if (i >= text.Length || text[i] != '=')
            {
                continue;
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i]);
                    i++;
                }

                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ',')
                {
                    value.Append(text[i]);
                    i++;
                }
            }

            if (name.Length > 0)
            {
                result[name] = value.ToString().Trim();
            }
        }

        return result;
    }
}
