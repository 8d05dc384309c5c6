using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallTracking.Engine.Api;

/// <summary>
/// The signature of a recording link: HMAC-SHA256 (RFC 2104) keyed by the shared secret over
/// <c>"recording\n" + call id (lower-case, hyphenated) + "\n" + expiry (Unix seconds)</c>, base64url without
/// padding (RFC 4648 §5). The purpose prefix keeps a signature for a recording from verifying anything else the
/// same key may sign later.
/// </summary>
public static class RecordingLinkSigner
{
    /// <summary>The smallest secret accepted (HMAC-SHA256's block-strength key, RFC 2104 §3).</summary>
    public const int MinimumKeyLength = 32;

    public static string Sign(ReadOnlySpan<byte> key, Guid callId, long expiresUnixSeconds)
    {
        if (key.Length < MinimumKeyLength)
        {
            throw new ArgumentException($"a signing key has at least {MinimumKeyLength} bytes", nameof(key));
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Message(callId, expiresUnixSeconds), mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>Whether <paramref name="signature"/> is this call's and expiry's (compared in constant time); not whether it has expired.</summary>
    public static bool Verify(ReadOnlySpan<byte> key, Guid callId, long expiresUnixSeconds, string? signature)
    {
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (signature is null
            || signature.Length > 64
            || !Base64Url.IsValid(signature, out var length)
            || length != HMACSHA256.HashSizeInBytes
            || !Base64Url.TryDecodeFromChars(signature, presented, out _))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Message(callId, expiresUnixSeconds), expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private static byte[] Message(Guid callId, long expiresUnixSeconds) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"recording\n{callId:D}\n{expiresUnixSeconds}"));
}
