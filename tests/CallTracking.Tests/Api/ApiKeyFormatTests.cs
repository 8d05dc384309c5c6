using CallTracking.Engine.Api;

namespace CallTracking.Tests.Api;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void A_generated_key_parses_back_to_its_prefix_and_matches_its_hash()
    {
        var (prefix, key, hash) = ApiKeyFormat.Generate();
        Assert.Matches("^ctk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$", key);
        Assert.True(ApiKeyFormat.TryParse(key, out var parsedPrefix, out var secret));
        Assert.Equal(prefix, parsedPrefix);
        Assert.Equal(32, hash.Length);
        Assert.True(ApiKeyFormat.Matches(secret, hash));
        Assert.False(ApiKeyFormat.Matches(secret + "x", hash));
        Assert.DoesNotContain(secret, Convert.ToBase64String(hash), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_keys_differ()
    {
        Assert.NotEqual(ApiKeyFormat.Generate().Key, ApiKeyFormat.Generate().Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ctk_")]
    [InlineData("ctk_abcdefgh_")]
    [InlineData("ctk_abcdefgh")]
    [InlineData("ctk_ABCDEFGH_secret")]
    [InlineData("ctk_abcdefg_secret")]
    [InlineData("xyz_abcdefgh_secret")]
    public void Malformed_keys_do_not_parse(string? key)
    {
        Assert.False(ApiKeyFormat.TryParse(key, out _, out _));
    }
}
