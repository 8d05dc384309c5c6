using CallTracking.Engine.Transcription;

namespace CallTracking.Tests.Transcription;

public sealed class KeywordMatcherTests
{
    private static readonly TranscriptSegment[] Transcript =
    [
        new(Speaker.Caller, 0, 1000, "Can I book a plumber? It costs £20,", 0.9f),
        new(Speaker.Business, 1000, 2000, "Yes, I have booked an", 0.9f),
        new(Speaker.Business, 2000, 3000, "appointment for you.", 0.9f),
    ];

    [Theory]
    [InlineData("booked an appointment", "booked an appointment")]
    [InlineData("BOOKED AN   APPOINTMENT", "booked an appointment")]
    [InlineData("£20", "£20")]
    [InlineData("plumber", "plumber")]
    public void A_phrase_matches_whole_words_case_insensitively_across_segments(string phrase, string matched)
    {
        Assert.Equal(matched, KeywordMatcher.Match(new KeywordRule(Guid.NewGuid(), Guid.NewGuid(), "r", phrase, false), Transcript), ignoreCase: true);
    }

    [Theory]
    [InlineData("plumb")]
    [InlineData("book an appointment")]
    [InlineData("£2")]
    public void A_phrase_does_not_match_inside_a_word(string phrase)
    {
        Assert.Null(KeywordMatcher.Match(new KeywordRule(Guid.NewGuid(), Guid.NewGuid(), "r", phrase, false), Transcript));
    }

    [Fact]
    public void The_speaker_restricts_whose_words_are_searched()
    {
        var rule = new KeywordRule(Guid.NewGuid(), Guid.NewGuid(), "r", "plumber", false);

        Assert.NotNull(KeywordMatcher.Match(rule with { Speaker = Speaker.Caller }, Transcript));
        Assert.Null(KeywordMatcher.Match(rule with { Speaker = Speaker.Business }, Transcript));
    }

    [Fact]
    public void An_invalid_regex_matches_nothing_and_validation_says_why()
    {
        Assert.Null(KeywordMatcher.Match(new KeywordRule(Guid.NewGuid(), Guid.NewGuid(), "r", "(unclosed", true), Transcript));
        Assert.ThrowsAny<ArgumentException>(() => KeywordMatcher.Validate("(unclosed", isRegex: true));
        Assert.ThrowsAny<ArgumentException>(() => KeywordMatcher.Validate("  ", isRegex: false));
    }
}
