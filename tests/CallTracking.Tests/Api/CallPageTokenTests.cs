using CallTracking.Engine.Api;

namespace CallTracking.Tests.Api;

public sealed class CallPageTokenTests
{
    [Fact]
    public void A_token_round_trips_to_the_microsecond()
    {
        var at = new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.FromHours(-5)).AddTicks(1234560);
        var id = Guid.NewGuid();
        Assert.True(CallPageToken.TryDecode(CallPageToken.Encode(at, id), out var decodedAt, out var decodedId));
        Assert.Equal(at, decodedAt);
        Assert.Equal(id, decodedId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("!!!!")]
    [InlineData("AAAA")]
    public void Garbage_is_not_a_token(string token)
    {
        Assert.False(CallPageToken.TryDecode(token, out _, out _));
    }
}
