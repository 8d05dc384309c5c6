using CallTracking.Engine.Tracking.Conversions;

namespace CallTracking.Tests.Tracking.Conversions;

public sealed class PhoneNormaliserTests
{
    [Theory]
    [InlineData("(415) 555-0123", "US", "+14155550123")]
    [InlineData("415.555.0123", "US", "+14155550123")]
    [InlineData("1 415 555 0123", "US", "+14155550123")]
    [InlineData("020 7946 0018", "GB", "+442079460018")]
    [InlineData("07700 900123", "GB", "+447700900123")]
    [InlineData("030 1234567", "DE", "+49301234567")]
    [InlineData("06 1234 5678", "IT", "+390612345678")]
    [InlineData("02 9876 5432", "AU", "+61298765432")]
    public void National_numbers_are_read_in_the_organisations_country(string number, string country, string e164)
    {
        var phone = PhoneNormaliser.Normalise(number, country);
        Assert.Equal(PhoneRejection.None, phone.Rejection);
        Assert.Equal(e164, phone.E164);
    }

    [Theory]
    [InlineData("+44 20 7946 0018", "US", "+442079460018")]
    [InlineData("0044 20 7946 0018", "US", "+442079460018")]
    [InlineData("+1 (212) 555-0188", "GB", "+12125550188")]
    [InlineData("+14155550123", "DE", "+14155550123")]
    [InlineData("00 33 1 23 45 67 89", "GB", "+33123456789")]
    public void International_numbers_keep_their_country_whatever_the_organisations(string number, string country, string e164)
    {
        Assert.Equal(e164, PhoneNormaliser.Normalise(number, country).E164);
    }

    [Theory]
    [InlineData(null, PhoneRejection.Empty)]
    [InlineData("", PhoneRejection.Empty)]
    [InlineData("  ", PhoneRejection.Empty)]
    [InlineData("anonymous", PhoneRejection.InvalidCharacters)]
    [InlineData("1-800-FLOWERS", PhoneRejection.InvalidCharacters)]
    [InlineData("+1 415 555 0123 ext 12", PhoneRejection.InvalidCharacters)]
    [InlineData("++14155550123", PhoneRejection.InvalidCharacters)]
    [InlineData("sip:+14155550123@carrier", PhoneRejection.InvalidCharacters)]
    [InlineData("+0441234567", PhoneRejection.InvalidCountryCode)]
    [InlineData("000441234567", PhoneRejection.InvalidCountryCode)]
    [InlineData("+12345", PhoneRejection.TooShort)]
    [InlineData("+1234567890123456", PhoneRejection.TooLong)]
    [InlineData("555-0123", PhoneRejection.TooShort)]
    [InlineData("415 555 01234", PhoneRejection.TooLong)]
    [InlineData("2 415 555 0123", PhoneRejection.TooLong)]
    public void Malformed_numbers_are_rejected_with_a_reason(string? number, PhoneRejection rejection)
    {
        var phone = PhoneNormaliser.Normalise(number, "US");
        Assert.False(phone.IsValid);
        Assert.Equal(rejection, phone.Rejection);
        Assert.NotNull(phone.Reason);
    }

    [Fact]
    public void A_national_number_in_a_country_without_a_known_plan_is_rejected()
    {
        Assert.Equal(PhoneRejection.UnknownCountry, PhoneNormaliser.Normalise("0123 456789", "XX").Rejection);
        Assert.Equal("+442079460018", PhoneNormaliser.Normalise("+442079460018", "XX").E164);
    }

    [Fact]
    public void Hashes_are_sha256_hex_of_e164_for_google_and_of_the_digits_for_meta()
    {
        // Computed with Python's hashlib.sha256 over the ASCII strings "+14155550123" and "14155550123".
        var phone = PhoneNormaliser.Normalise("(415) 555-0123", "US");
        Assert.Equal("36a2cef4ff9bf7a1abd2a93359136b870393be4106e6c5d19b72ff564f9deca4", PhoneNormaliser.HashE164(phone));
        Assert.Equal("413ba75461ab5f99d36820e561ea97e2bd80f9cb586f7ecea6cf4c496518950a", PhoneNormaliser.HashDigits(phone));
    }

    [Fact]
    public void The_same_number_written_nationally_and_internationally_hashes_the_same()
    {
        Assert.Equal(
            PhoneNormaliser.HashE164(PhoneNormaliser.Normalise("020 7946 0018", "GB")),
            PhoneNormaliser.HashE164(PhoneNormaliser.Normalise("+44 20 7946 0018", "US")));
    }

    [Fact]
    public void A_rejected_number_is_never_hashed()
    {
        Assert.Throws<ArgumentException>(() => PhoneNormaliser.HashE164(PhoneNormaliser.Normalise("anonymous", "US")));
    }
}
