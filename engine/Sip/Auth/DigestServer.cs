using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CallTracking.Engine.Sip.Trunks;

namespace CallTracking.Engine.Sip.Auth;

/// <summary>
/// The server side of HTTP digest authentication as SIP uses it (RFC 3261 §22.4, RFC 7616, RFC 8760 for
/// SHA-256): builds challenges and checks answers. Nonces are stateless: an issue time and an HMAC of it under
/// a per-process secret, so nothing is stored per challenge and any retry within the lifetime is accepted.
/// Immutable and thread-safe.
/// </summary>
public sealed class DigestServer
{
    /// <summary>RFC 7616 leaves the lifetime to the server; five minutes covers a slow carrier retry.</summary>
    public static readonly TimeSpan DefaultNonceLifetime = TimeSpan.FromMinutes(5);

    private const int StampBytes = 8;
    private const int MacBytes = 16;

    // A nonce stamped more than this ahead of our clock was not made by us (or our clock jumped back).
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly byte[] _secret;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    /// <param name="secret">Key for the nonce HMAC; at least 16 random bytes, new each process.</param>
    public DigestServer(ReadOnlySpan<byte> secret, TimeProvider time, TimeSpan? nonceLifetime = null)
    {
        if (secret.Length < 16)
        {
            throw new ArgumentException("The nonce secret needs at least 16 bytes.", nameof(secret));
        }

        ArgumentNullException.ThrowIfNull(time);
        _secret = secret.ToArray();
        _time = time;
        _lifetime = nonceLifetime ?? DefaultNonceLifetime;
    }

    /// <summary>
    /// The <c>WWW-Authenticate</c> header lines (CRLF-terminated) for a 401: MD5, then SHA-256, both with
    /// <c>qop="auth"</c>. RFC 8760 §2.4 has clients use the topmost challenge they support, so the order is a
    /// preference; MD5 goes first because clients that read only the first challenge and know only MD5 are
    /// common on trunks (sipp 3.6.1 refuses a SHA-256 first challenge outright), and both hash the same secret.
    /// </summary>
    public string Challenge(string realm, bool stale)
    {
        ArgumentNullException.ThrowIfNull(realm);
        var nonce = NewNonce(realm);
        var staleParameter = stale ? ", stale=true" : string.Empty;
        return $"WWW-Authenticate: Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\"{staleParameter}\r\n"
            + $"WWW-Authenticate: Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm=SHA-256, qop=\"auth\"{staleParameter}\r\n";
    }

    /// <summary>Checks an Authorization header value against the trunk's credentials for a request of <paramref name="method"/>.</summary>
    /// <param name="requestUri">The request's Request-URI; when given, the digest's <c>uri</c> must equal it (RFC 2617 §3.2.2.5),
    /// so a captured answer cannot be replayed for another number while its nonce lives.</param>
    public DigestVerdict Verify(ReadOnlySpan<byte> authorization, string method, TrunkCredentials credentials, string? requestUri = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!DigestAuthorization.TryParse(authorization, out var answer))
        {
            return DigestVerdict.Malformed;
        }

        DigestAlgorithm? algorithm = answer.Algorithm.ToUpperInvariant() switch
        {
            "MD5" => DigestAlgorithm.Md5,
            "SHA-256" => DigestAlgorithm.Sha256,
            _ => null,
        };
        if (algorithm is null || (answer.Qop is not null && !string.Equals(answer.Qop, "auth", StringComparison.OrdinalIgnoreCase))
            || (answer.Qop is not null && (answer.Cnonce is null || answer.NonceCount is null)))
        {
            return DigestVerdict.Malformed;
        }

        if (requestUri is not null && !string.Equals(answer.Uri, requestUri, StringComparison.Ordinal))
        {
            return DigestVerdict.Malformed;
        }

        var nonce = CheckNonce(answer.Nonce, answer.Realm);
        if (nonce != DigestVerdict.Valid)
        {
            return nonce;
        }

        if (!string.Equals(answer.Username, credentials.Username, StringComparison.Ordinal)
            || !string.Equals(answer.Realm, credentials.Realm, StringComparison.Ordinal))
        {
            return DigestVerdict.WrongCredentials;
        }

        var expected = DigestHash.Response(algorithm.Value, credentials.Username, credentials.Realm, credentials.Password, method, answer.Uri, answer.Nonce, answer.NonceCount, answer.Cnonce, answer.Qop);
        var given = Encoding.ASCII.GetBytes(answer.Response.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), given)
            ? DigestVerdict.Valid
            : DigestVerdict.WrongCredentials;
    }

    private string NewNonce(string realm)
    {
        Span<byte> nonce = stackalloc byte[StampBytes + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(nonce, _time.GetUtcNow().ToUnixTimeMilliseconds());
        Mac(nonce[..StampBytes], realm, nonce[StampBytes..]);
        return Base64Url(nonce);
    }

    private DigestVerdict CheckNonce(string text, string realm)
    {
        Span<byte> nonce = stackalloc byte[StampBytes + MacBytes];
        if (!TryFromBase64Url(text, nonce))
        {
            return DigestVerdict.UnknownNonce;
        }

        Span<byte> mac = stackalloc byte[MacBytes];
        Mac(nonce[..StampBytes], realm, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, nonce[StampBytes..]))
        {
            return DigestVerdict.UnknownNonce;
        }

        var issued = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(nonce));
        var age = _time.GetUtcNow() - issued;
        if (age < -ClockSkew)
        {
            return DigestVerdict.UnknownNonce;
        }

        return age > _lifetime ? DigestVerdict.Stale : DigestVerdict.Valid;
    }

    // The realm is inside the MAC so a nonce from one trunk's challenge is no good for another's realm.
    private void Mac(ReadOnlySpan<byte> stamp, string realm, Span<byte> destination)
    {
        var input = new byte[stamp.Length + Encoding.UTF8.GetByteCount(realm)];
        stamp.CopyTo(input);
        Encoding.UTF8.GetBytes(realm, input.AsSpan(stamp.Length));
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(_secret, input, full);
        full[..MacBytes].CopyTo(destination);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryFromBase64Url(string text, Span<byte> destination)
    {
        if (text.Length != 32)
        {
            return false;
        }

        var standard = text.Replace('-', '+').Replace('_', '/');
        return Convert.TryFromBase64String(standard, destination, out var written) && written == destination.Length;
    }
}
