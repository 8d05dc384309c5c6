using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CallTracking.Engine.Dashboard;

/// <summary>
/// Dashboard session tokens look like <c>cts_&lt;43 base64url characters&gt;</c> (32 random bytes). Only their
/// SHA-256 is stored: a stolen database does not hold usable sessions. The <c>cts_</c> scheme tells them apart
/// from API keys (<c>ctk_</c>) on the same <c>Authorization: Bearer</c> header.
/// </summary>
public static class SessionTokenFormat
{
    public const string Scheme = "cts_";

    public const int SecretBytes = 32;

    /// <summary>A new token and the hash to store.</summary>
    public static (string Token, byte[] Hash) Generate()
    {
        var token = Scheme + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        return (token, Hash(token));
    }

    /// <summary>Whether <paramref name="token"/> is shaped like a session token (not whether it is valid).</summary>
    public static bool IsShaped(string? token) =>
        token is { Length: > 4 and <= 128 } && token.StartsWith(Scheme, StringComparison.Ordinal);

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
