using CallTracking.Engine.Privacy;
using CallTracking.Engine.Transcription;

namespace CallTracking.Tests.Privacy;

public sealed class TranscriptRedactorTests
{
    [Theory]
    [InlineData("my card number is 4111 1111 1111 1111 thanks", "my card number is [CARD] thanks")]
    [InlineData("card 4111-1111-1111-1111", "card [CARD]")]
    [InlineData("it's 5555555555554444", "it's [CARD]")]
    [InlineData("four one one one, one one one one, one one one one, one one one one", "[CARD]")]
    [InlineData("Four one one one one one one one one one one one one one one one.", "[CARD].")]
    [InlineData("double five double five double five double five double five double five double four double four", "[CARD]")]
    [InlineData("the number is three seven eight two eight two two four six three one zero zero oh five please", "the number is [CARD] please")]
    public void Card_numbers_that_pass_Luhn_are_redacted_written_or_spoken(string text, string expected) =>
        Assert.Equal(expected, TranscriptRedactor.Redact(text).Text);

    [Theory]
    [InlineData("my card number is 4111 1111 1111 1112")]
    [InlineData("four one one one one one one one one one one one one one one two")]
    [InlineData("double five double five double five double five double five double five double four four five")]
    public void Digit_runs_that_fail_Luhn_are_left_alone(string text)
    {
        var redacted = TranscriptRedactor.Redact(text);
        Assert.False(redacted.Changed);
        Assert.Equal(text, redacted.Text);
    }

    [Theory]
    [InlineData("*14111111111111111#*2", "*1[CARD]#*2")]
    [InlineData("5555555555554444", "[CARD]")]
    [InlineData("*1411111111111111#", "*1411111111111111#")]
    [InlineData("1234#99", "1234#99")]
    public void Keyed_card_numbers_are_redacted_in_a_key_sequence(string keys, string expected) =>
        Assert.Equal(expected, TranscriptRedactor.RedactKeys(keys).Text);

    [Theory]
    [InlineData("and the expiry date is 04/27", "and the expiry date is [EXPIRY]")]
    [InlineData("it expires oh four two seven", "it expires [EXPIRY]")]
    [InlineData("valid thru 11 28", "valid thru [EXPIRY]")]
    public void Expiry_dates_after_expiry_talk_are_redacted(string text, string expected) =>
        Assert.Equal(expected, TranscriptRedactor.Redact(text).Text);

    [Theory]
    [InlineData("the security code is 123", "the security code is [CVV]")]
    [InlineData("the three digits on the back are seven three one", "the three digits on the back are [CVV]")]
    [InlineData("CVV two four six eight", "CVV [CVV]")]
    [InlineData("4111 1111 1111 1111 and then 737", "[CARD] and then [CVV]")]
    public void Cvv_like_runs_next_to_card_talk_are_redacted(string text, string expected) =>
        Assert.Equal(expected, TranscriptRedactor.Redact(text).Text);

    [Fact]
    public void Three_digits_without_card_talk_are_left_alone() =>
        Assert.Equal("we open at 930 and close at 1700", TranscriptRedactor.Redact("we open at 930 and close at 1700").Text);

    [Theory]
    [InlineData("my social security number is 123-45-6789.", "my social security number is [SSN].")]
    [InlineData("SSN one two three four five six seven eight nine", "SSN [SSN]")]
    [InlineData("ref 123-45-6789", "ref [SSN]")]
    public void Us_social_security_numbers_are_redacted(string text, string expected) =>
        Assert.Equal(expected, TranscriptRedactor.Redact(text).Text);

    [Theory]
    [InlineData("my national insurance number is AB 12 34 56 C", "my national insurance number is [NI]")]
    [InlineData("NI number jk123456d ok", "NI number [NI] ok")]
    public void Uk_national_insurance_numbers_are_redacted(string text, string expected) =>
        Assert.Equal(expected, TranscriptRedactor.Redact(text).Text);

    [Fact]
    public void Invalid_national_insurance_prefixes_are_not_numbers() =>
        Assert.False(TranscriptRedactor.Redact("code DQ 12 34 56 A").Changed);

    [Theory]
    [InlineData("date of birth 12/03/1980", "date of birth [DOB]")]
    [InlineData("I was born on the 12th of March 1980, yes", "I was born on the [DOB], yes")]
    [InlineData("my DOB is March 12, 1980", "my DOB is [DOB]")]
    [InlineData("birthday one two oh three one nine eight oh", "birthday [DOB]")]
    public void Dates_of_birth_are_redacted(string text, string expected) =>
        Assert.Equal(expected, TranscriptRedactor.Redact(text).Text);

    [Fact]
    public void A_date_without_birth_talk_is_left_alone() =>
        Assert.False(TranscriptRedactor.Redact("the appointment is on the 12th of March 2027").Changed);

    [Theory]
    [InlineData("email me at jane.doe+calls@example.co.uk please", "email me at [EMAIL] please")]
    [InlineData("it's jane dot doe at example dot com", "it's [EMAIL]")]
    [InlineData("J.Smith@Example.ORG", "[EMAIL]")]
    public void Email_addresses_written_or_spoken_are_redacted(string text, string expected) =>
        Assert.Equal(expected, TranscriptRedactor.Redact(text).Text);

    [Fact]
    public void Ordinary_speech_is_untouched()
    {
        const string text = "Hi, I'd like to book two tickets for 3 people at 5 pm on Friday, we'll meet at the station.";
        Assert.False(TranscriptRedactor.Redact(text).Changed);
    }

    [Fact]
    public void Luhn_matches_known_numbers()
    {
        Assert.True(TranscriptRedactor.Luhn("79927398713"));
        Assert.False(TranscriptRedactor.Luhn("79927398710"));
        Assert.True(TranscriptRedactor.Luhn("4111111111111111"));
    }

    [Fact]
    public void Segments_overlapping_a_paused_span_are_masked_and_the_rest_redacted_across_segments()
    {
        TranscriptSegment[] segments =
        [
            new(Speaker.Caller, 0, 2000, "hello I want to pay", 0.9f),
            new(Speaker.Business, 2000, 4000, "go ahead with the card", 0.9f),
            new(Speaker.Caller, 4000, 6000, "four one one one one one one one", 0.9f),
            new(Speaker.Caller, 6000, 8000, "one one one one one one one one", 0.9f),
            new(Speaker.Caller, 9000, 12000, "the security code is 123", 0.9f),
            new(Speaker.Caller, 13000, 15000, "my email is a@b.io", 0.9f),
        ];

        var (stored, audio) = TranscriptPrivacy.Apply(segments, [(8500, 12500)]);

        Assert.Equal("hello I want to pay", stored[0].Text);
        Assert.Equal("[CARD]", stored[2].Text);
        Assert.Equal("[CARD]", stored[3].Text);
        Assert.Equal(TranscriptPrivacy.PausedText, stored[4].Text);
        Assert.Equal("my email is [EMAIL]", stored[5].Text);
        Assert.Contains(audio, a => a.Label == "[CARD]" && a.StartMs == 4000 && a.EndMs == 6000);
        Assert.Contains(audio, a => a.Label == "[CARD]" && a.StartMs == 6000 && a.EndMs == 8000);
        Assert.Contains(audio, a => a.Label == "[EMAIL]" && a.StartMs > 13000 && a.EndMs == 15000);
    }
}
