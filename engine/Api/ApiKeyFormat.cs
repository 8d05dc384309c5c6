using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CallTracking.Engine.Api;

/// <summary>
/// API keys look like <c>ctk_&lt;prefix&gt;_&lt;secret&gt;</c>: an 8-character prefix (lower-case
/// letters and digits) that names the key in lists and logs, and 32 random bytes as
/// base64url (43 characters). Only the prefix and the SHA-256 of the secret are stored;
/// the secret is shown once, when the key is created.
/// </summary>
public static class ApiKeyFormat
{
    public const string Scheme = "ctk_";
    public const int PrefixLength = 8;
    public const int SecretBytes = 32;

    private const string PrefixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new random key: its prefix, the full key to hand out, and the hash to store.</summary>
    public static (string Prefix, string Key, byte[] SecretHash) Generate()
    {
        var prefix = RandomNumberGenerator.GetString(PrefixAlphabet, PrefixLength);
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        return (prefix, $"{Scheme}{prefix}_{secret}", Hash(secret));
    }

    /// <summary>Splits a presented key into its prefix and secret; false if it is not shaped like a key.</summary>
    public static bool TryParse(string? key, out string prefix, out string secret)
    {
        prefix = "";
        secret = "";
        if (key is null
            || key.Length < Scheme.Length + PrefixLength + 2
            || !key.StartsWith(Scheme, StringComparison.Ordinal)
            || key[Scheme.Length + PrefixLength] != '_')
        {
            return false;
        }

        var candidate = key.AsSpan(Scheme.Length, PrefixLength);
        foreach (var c in candidate)
        {
            if (!PrefixAlphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        prefix = candidate.ToString();
        secret = key[(Scheme.Length + PrefixLength + 1)..];
        return secret.Length is > 0 and <= 256;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Compares a presented secret with a stored hash in time that does not depend on where they differ.</summary>
    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);
}
