namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>Why a caller number could not be normalised to E.164 (and so is never hashed).</summary>
public enum PhoneRejection
{
    None,

    /// <summary>No number (withheld, anonymous, empty).</summary>
    Empty,

    /// <summary>Something other than digits, one leading <c>+</c> and the usual separators (space, <c>-</c>, <c>.</c>, <c>/</c>, parentheses).</summary>
    InvalidCharacters,

    /// <summary>An international number whose country code starts with 0 (ITU-T E.164 §6.2.1: country codes are 1–3 digits, never 0).</summary>
    InvalidCountryCode,

    /// <summary>Fewer digits than any number of its kind.</summary>
    TooShort,

    /// <summary>More than 15 digits with the country code (ITU-T E.164 §6.1), or more than the country's national numbers have.</summary>
    TooLong,

    /// <summary>A national number, but the organisation's country is not one whose dialling plan is known here.</summary>
    UnknownCountry,
}
