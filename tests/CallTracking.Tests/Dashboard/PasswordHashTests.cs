using CallTracking.Engine.Dashboard;

namespace CallTracking.Tests.Dashboard;

public sealed class PasswordHashTests
{
    // A low iteration count keeps these tests fast; the format and comparison are the same at any count.
    private static readonly byte[] Salt = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public void A_new_hash_is_PBKDF2_SHA256_at_600000_iterations_with_a_fresh_salt_each_time()
    {
        var first = PasswordHash.Create("correct horse battery");
        var second = PasswordHash.Create("correct horse battery");
        Assert.StartsWith("pbkdf2-sha256$600000$", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHash.Verify("correct horse battery", first));
        Assert.False(PasswordHash.Verify("correct horse batterY", first));
        Assert.False(PasswordHash.NeedsRehash(first));
    }

    [Fact]
    public void Matches_the_RFC_8018_PBKDF2_HMAC_SHA256_output()
    {
        // RFC 7914 §11 test vector for PBKDF2-HMAC-SHA256: P="passwd", S="salt", c=1, dkLen=64 (first 32 bytes here).
        var stored = $"pbkdf2-sha256$1${Convert.ToBase64String("salt"u8.ToArray())}${Convert.ToBase64String(Convert.FromHexString("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"))}";
        Assert.True(PasswordHash.Verify("passwd", stored));
        Assert.False(PasswordHash.Verify("passwd ", stored));
    }

    [Fact]
    public void Hashes_made_with_fewer_iterations_still_verify_and_ask_to_be_rehashed()
    {
        var old = PasswordHash.Create("an older password", 1000, Salt);
        Assert.True(PasswordHash.Verify("an older password", old));
        Assert.True(PasswordHash.NeedsRehash(old));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("pbkdf2-sha256$0$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$-5$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64!$AAAA")]
    [InlineData("pbkdf2-sha256$1000$$AAAA")]
    [InlineData("bcrypt$1000$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$AAAA$AAAA$extra")]
    public void A_malformed_stored_value_never_verifies(string stored)
    {
        Assert.False(PasswordHash.Verify("anything", stored));
        Assert.True(PasswordHash.NeedsRehash(stored));
    }
}
