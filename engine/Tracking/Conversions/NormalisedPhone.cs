namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>The outcome of <see cref="PhoneNormaliser.Normalise"/>: the E.164 form, or why there is none.</summary>
public readonly record struct NormalisedPhone(string? E164, PhoneRejection Rejection)
{
    public bool IsValid => E164 is not null;

    /// <summary>The E.164 digits without the <c>+</c> (Meta's phone normalisation).</summary>
    public string? Digits => E164?[1..];

    /// <summary>A sentence for logs and the API.</summary>
    public string? Reason => Rejection switch
    {
        PhoneRejection.None => null,
        PhoneRejection.Empty => "no caller number",
        PhoneRejection.InvalidCharacters => "the caller number has characters other than digits, a leading + and separators",
        PhoneRejection.InvalidCountryCode => "an international number's country code cannot start with 0",
        PhoneRejection.TooShort => "the caller number is too short",
        PhoneRejection.TooLong => "the caller number is too long",
        PhoneRejection.UnknownCountry => "the organisation's phone country has no known dialling plan",
        _ => Rejection.ToString(),
    };
}
