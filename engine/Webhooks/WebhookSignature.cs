using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallTracking.Engine.Webhooks;

/// <summary>
/// The <c>CallTracking-Signature</c> header, after Stripe's scheme: <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c> where
/// v1 is the lower-case hex HMAC-SHA256 (RFC 2104, FIPS 180-4) keyed with the endpoint's secret over the UTF-8 bytes
/// of <c>"&lt;t&gt;.&lt;raw body&gt;"</c>. The timestamp is inside the MAC, so a receiver that rejects signatures older
/// than a few minutes (<see cref="Verify"/>'s tolerance) cannot be fed a captured request again later; within the
/// tolerance it de-duplicates on the <c>CallTracking-Delivery</c> id. The timestamp is taken at each attempt, so a
/// retry a day later still verifies.
/// <para>To verify: split the header on ',', take <c>t</c> and every <c>v1</c>, compute the HMAC of
/// <c>t + "." + body</c> with the secret, compare in constant time with any v1, and check |now − t| ≤ tolerance.</para>
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "CallTracking-Signature";

    /// <summary>How old a signature <see cref="Verify"/> accepts by default.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, string body, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return "t=" + timestamp + ",v1=" + Mac(secret, timestamp, body);
    }

    /// <summary>Whether <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/> at a time within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string body, string? header, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        string? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            if (key == "t")
            {
                timestamp = value;
            }
            else if (key == "v1")
            {
                signatures.Add(value);
            }
        }

        if (timestamp is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(secret, timestamp, body));
        return signatures.Exists(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }

    private static string Mac(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));
}
