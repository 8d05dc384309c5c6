using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallTracking.Engine.Api;

/// <summary>
/// The signature of a signed link: HMAC-SHA256 (RFC 2104) keyed by the shared secret over
/// <c>purpose + "\n" + resource + "\n" + organisation id (lower-case, hyphenated) + "\n" + expiry (Unix seconds)</c>,
/// base64url without padding (RFC 4648 §5). The purpose (<c>recording</c>, <c>export</c>…) keeps a signature for one
/// kind of link from verifying another; the organisation binds the link to the organisation that owns the resource
/// (the endpoint also checks the resource is that organisation's), so a link cannot be moved to another one.
/// Every byte of the link is covered: resource, organisation and expiry by the MAC, the signature by the compare.
/// </summary>
public static class SignedLinkSigner
{
    /// <summary>The smallest secret accepted (HMAC-SHA256's block-strength key, RFC 2104 §3).</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>The purpose of recording links.</summary>
    public const string RecordingPurpose = "recording";

    public static string Sign(ReadOnlySpan<byte> key, string purpose, string resource, Guid organisationId, long expiresUnixSeconds)
    {
        if (key.Length < MinimumKeyLength)
        {
            throw new ArgumentException($"a signing key has at least {MinimumKeyLength} bytes", nameof(key));
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Message(purpose, resource, organisationId, expiresUnixSeconds), mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is exactly this purpose's, resource's, organisation's and expiry's
    /// (compared in constant time, CryptographicOperations.FixedTimeEquals); not whether it has expired.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> key, string purpose, string resource, Guid organisationId, long expiresUnixSeconds, string? signature)
    {
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];

        // Exactly 43 characters: base64url of 32 bytes without padding. A longer or padded string that happens to
        // decode to the same bytes would be a second spelling of the link, so it is refused.
        if (signature is not { Length: 43 }
            || !Base64Url.IsValid(signature, out var length)
            || length != HMACSHA256.HashSizeInBytes
            || !Base64Url.TryDecodeFromChars(signature, presented, out _)
            || !string.Equals(Base64Url.EncodeToString(presented), signature, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Message(purpose, resource, organisationId, expiresUnixSeconds), expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private static byte[] Message(string purpose, string resource, Guid organisationId, long expiresUnixSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentNullException.ThrowIfNull(resource);
        if (purpose.Contains('\n', StringComparison.Ordinal) || resource.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("a link's purpose and resource are single lines");
        }

        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{purpose}\n{resource}\n{organisationId:D}\n{expiresUnixSeconds}"));
    }
}
