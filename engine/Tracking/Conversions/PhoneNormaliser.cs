using System.Security.Cryptography;
using System.Text;

namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>
/// Caller numbers to E.164 (ITU-T E.164), for the hashed phone identifiers conversion platforms match on: an
/// international number (<c>+</c> or the <c>00</c> international prefix) is kept as dialled; a national number is
/// read in the organisation's country (<see cref="DiallingPlan"/>). Anything else is rejected with a reason, never
/// hashed: a hash of garbage matches nobody and only pollutes the advertiser's match rate.
/// </summary>
public static class PhoneNormaliser
{
    /// <summary>E.164 §6.1: at most 15 digits including the country code.</summary>
    public const int MaxE164Digits = 15;

    /// <summary>The shortest international numbers in service (small territories) have 7 digits with their country code.</summary>
    public const int MinE164Digits = 7;

    public static NormalisedPhone Normalise(string? number, string region)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            return new(null, PhoneRejection.Empty);
        }

        var text = number.Trim();
        var international = text.StartsWith('+');
        var digits = new StringBuilder(text.Length);
        for (var i = international ? 1 : 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '/' or '(' or ')'))
            {
                // Letters (vanity numbers, "anonymous", "ext. 12"), a second +, SIP URI parts: not a number we can vouch for.
                return new(null, PhoneRejection.InvalidCharacters);
            }
        }

        var all = digits.ToString();
        if (all.Length == 0)
        {
            return new(null, PhoneRejection.Empty);
        }

        if (!international && all.StartsWith("00", StringComparison.Ordinal))
        {
            // 00 is the ITU-recommended international prefix (ITU-T E.164 Annex / Rec. E.164 §A.1).
            international = true;
            all = all[2..];
        }

        if (international)
        {
            return International(all);
        }

        if (!DiallingPlan.Known.TryGetValue(region.ToUpperInvariant(), out var plan))
        {
            return new(null, PhoneRejection.UnknownCountry);
        }

        // The trunk prefix is dialled before national numbers and is not part of them. Where it equals the country
        // code (NANP's "1"), only a number one digit too long carries it.
        var nsn = all;
        if (plan.TrunkPrefix is { } trunk
            && nsn.StartsWith(trunk, StringComparison.Ordinal)
            && (trunk != plan.CountryCode || nsn.Length > plan.MaxNsnLength))
        {
            nsn = nsn[trunk.Length..];
        }

        if (nsn.Length < plan.MinNsnLength)
        {
            return new(null, PhoneRejection.TooShort);
        }

        if (nsn.Length > plan.MaxNsnLength)
        {
            return new(null, PhoneRejection.TooLong);
        }

        return International(plan.CountryCode + nsn);
    }

    /// <summary>Lower-case hex SHA-256 of the E.164 form (Google Ads <c>hashed_phone_number</c>).</summary>
    public static string HashE164(NormalisedPhone phone) =>
        Sha256Hex(phone.E164 ?? throw new ArgumentException("a rejected number is never hashed", nameof(phone)));

    /// <summary>Lower-case hex SHA-256 of the E.164 digits without <c>+</c> (Meta <c>ph</c>: "digits only, with country code").</summary>
    public static string HashDigits(NormalisedPhone phone) =>
        Sha256Hex(phone.Digits ?? throw new ArgumentException("a rejected number is never hashed", nameof(phone)));

    public static string Sha256Hex(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }

    private static NormalisedPhone International(string digits)
    {
        if (digits[0] == '0')
        {
            return new(null, PhoneRejection.InvalidCountryCode);
        }

        if (digits.Length < MinE164Digits)
        {
            return new(null, PhoneRejection.TooShort);
        }

        return digits.Length > MaxE164Digits ? new(null, PhoneRejection.TooLong) : new("+" + digits, PhoneRejection.None);
    }
}
