using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallTracking.Engine.Dashboard;

/// <summary>
/// Dashboard passwords as PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) with a per-user random salt, stored as one
/// self-describing string <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64). The parameters travel with the
/// hash, so <see cref="Iterations"/> can be raised later and old hashes still verify (and report
/// <see cref="NeedsRehash"/> so the next sign-in can upgrade them).
/// </summary>
public static class PasswordHash
{
    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.</summary>
    public const int Iterations = 600_000;

    public const int SaltBytes = 16;

    public const int HashBytes = 32;

    /// <summary>Passwords shorter than this are refused when a user is created.</summary>
    public const int MinimumLength = 10;

    private const string Algorithm = "pbkdf2-sha256";

    /// <summary>A stored form for <paramref name="password"/> with a fresh salt.</summary>
    public static string Create(string password) => Create(password, Iterations, RandomNumberGenerator.GetBytes(SaltBytes));

    internal static string Create(string password, int iterations, byte[] salt)
    {
        ArgumentNullException.ThrowIfNull(password);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Algorithm}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>
    /// Whether <paramref name="password"/> matches <paramref name="stored"/>; the comparison takes the same time
    /// wherever the hashes differ. A malformed stored value never matches.
    /// </summary>
    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(stored, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Spends the time a verification would, for a user name that does not exist (no timing oracle).</summary>
    public static void VerifyNothing(string password) =>
        _ = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), new byte[SaltBytes], Iterations, HashAlgorithmName.SHA256, HashBytes);

    /// <summary>True when <paramref name="stored"/> was made with weaker parameters than today's.</summary>
    public static bool NeedsRehash(string stored) =>
        !TryParse(stored, out var iterations, out _, out var hash) || iterations < Iterations || hash.Length < HashBytes;

    private static bool TryParse(string? stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        var parts = stored?.Split('$');
        if (parts is not { Length: 4 } || parts[0] != Algorithm
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length > 0 && hash.Length > 0;
    }
}
