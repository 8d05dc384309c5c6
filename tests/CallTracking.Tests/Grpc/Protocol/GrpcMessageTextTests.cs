using CallTracking.Grpc.Protocol;

namespace CallTracking.Tests.Grpc.Protocol;

public sealed class GrpcMessageTextTests
{
    [Theory]
    [InlineData("plain text stays", "plain text stays")]
    [InlineData("100%", "100%25")]
    [InlineData("line\r\nbreak", "line%0D%0Abreak")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("caf\u00e9", "caf%C3%A9")]
    [InlineData("\u20ac", "%E2%82%AC")]
    [InlineData("~ and space", "~ and space")]
    [InlineData("\u007f", "%7F")]
    public void Encoding_percent_encodes_bytes_outside_printable_ascii_and_percent(string text, string encoded)
    {
        Assert.Equal(encoded, GrpcMessageText.Encode(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ok")]
    [InlineData("50% off: caf\u00e9 \u20ac \ud83d\ude00\n")]
    [InlineData("%%%25")]
    public void Decoding_an_encoding_gives_the_text_back(string text)
    {
        var encoded = GrpcMessageText.Encode(text);
        Assert.All(encoded, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal(text, GrpcMessageText.Decode(encoded));
    }

    [Theory]
    [InlineData("50%", "50%")]
    [InlineData("%zz", "%zz")]
    [InlineData("%4", "%4")]
    [InlineData("a%41b", "aAb")]
    [InlineData("%c3%a9", "\u00e9")]
    public void Invalid_sequences_pass_through_undecoded(string value, string decoded)
    {
        Assert.Equal(decoded, GrpcMessageText.Decode(value));
    }
}
