using System.Text;

namespace CallTracking.Engine.Sip.Auth;

/// <summary>
/// The parameters of an <c>Authorization: Digest …</c> header (RFC 3261 §25.1 <c>digest-response</c>,
/// RFC 7616 §3.4). Values are unquoted; unknown parameters are ignored.
/// </summary>
public sealed record DigestAuthorization(
    string Username,
    string Realm,
    string Nonce,
    string Uri,
    string Response,
    string Algorithm,
    string? Qop,
    string? Cnonce,
    string? NonceCount)
{
    /// <summary>Reads the header value; false when it is not Digest or lacks a required parameter.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out DigestAuthorization authorization)
    {
        authorization = null!;
        var text = Encoding.UTF8.GetString(value).Trim();
        if (!text.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || text.Length < 7 || !char.IsWhiteSpace(text[6]))
        {
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 7;
        while (i < text.Length)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == ','))
            {
                i++;
            }

            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var name = text[i..eq].Trim();
            i = eq + 1;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            string parameterValue;
            if (i < text.Length && text[i] == '"')
            {
                // RFC 3261 §25.1 quoted-string with quoted-pair escapes.
                var builder = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    builder.Append(text[i]);
                    i++;
                }

                if (i >= text.Length)
                {
                    return false;
                }

                i++;
                parameterValue = builder.ToString();
            }
            else
            {
                var end = text.IndexOf(',', i);
                end = end < 0 ? text.Length : end;
                parameterValue = text[i..end].Trim();
                i = end;
            }

            parameters.TryAdd(name, parameterValue);
        }

        if (!parameters.TryGetValue("username", out var username) || !parameters.TryGetValue("realm", out var realm)
            || !parameters.TryGetValue("nonce", out var nonce) || !parameters.TryGetValue("uri", out var uri)
            || !parameters.TryGetValue("response", out var response))
        {
            return false;
        }

        authorization = new DigestAuthorization(
            username,
            realm,
            nonce,
            uri,
            response,
            parameters.GetValueOrDefault("algorithm") ?? "MD5",
            parameters.GetValueOrDefault("qop"),
            parameters.GetValueOrDefault("cnonce"),
            parameters.GetValueOrDefault("nc"));
        return true;
    }
}
