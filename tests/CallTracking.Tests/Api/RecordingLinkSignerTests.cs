using CallTracking.Engine.Api;

namespace CallTracking.Tests.Api;

public sealed class RecordingLinkSignerTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly Guid Call = Guid.Parse("0195f0c8-0000-7000-8000-000000000002");

    [Fact]
    public void A_signature_verifies_for_its_call_expiry_and_key_only()
    {
        var signature = RecordingLinkSigner.Sign(Key, Call, 1_800_000_000);

        Assert.True(RecordingLinkSigner.Verify(Key, Call, 1_800_000_000, signature));
        Assert.False(RecordingLinkSigner.Verify(Key, Guid.NewGuid(), 1_800_000_000, signature));
        Assert.False(RecordingLinkSigner.Verify(Key, Call, 1_800_000_001, signature));
        byte[] otherKey = [.. Key.Select(b => (byte)(b ^ 0xFF))];
        Assert.False(RecordingLinkSigner.Verify(otherKey, Call, 1_800_000_000, signature));
    }

    [Fact]
    public void Signatures_are_unpadded_base64url_of_an_hmac_sha256_and_deterministic()
    {
        var signature = RecordingLinkSigner.Sign(Key, Call, 1_800_000_000);
        Assert.Equal(43, signature.Length);
        Assert.DoesNotContain('=', signature);
        Assert.DoesNotContain('+', signature);
        Assert.DoesNotContain('/', signature);
        Assert.Equal(signature, RecordingLinkSigner.Sign(Key, Call, 1_800_000_000));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_signatures_do_not_verify(string? signature) =>
        Assert.False(RecordingLinkSigner.Verify(Key, Call, 1_800_000_000, signature));

    [Fact]
    public void A_tampered_character_does_not_verify()
    {
        var signature = RecordingLinkSigner.Sign(Key, Call, 1_800_000_000);
        var tampered = (signature[0] == 'A' ? 'B' : 'A') + signature[1..];
        Assert.False(RecordingLinkSigner.Verify(Key, Call, 1_800_000_000, tampered));
    }

    [Fact]
    public void A_short_key_is_refused() =>
        Assert.Throws<ArgumentException>(() => RecordingLinkSigner.Sign(new byte[16], Call, 1));
}
