using CallTracking.Engine.Api;

namespace CallTracking.Tests.Api;

public sealed class SignedLinkSignerTests
{
    private const string Recording = SignedLinkSigner.RecordingPurpose;
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly string Call = "0195f0c8-0000-7000-8000-000000000002";
    private static readonly Guid Org = Guid.Parse("0195f0c8-0000-7000-8000-0000000000aa");

    [Fact]
    public void A_signature_verifies_for_its_purpose_resource_organisation_expiry_and_key_only()
    {
        var signature = SignedLinkSigner.Sign(Key, Recording, Call, Org, 1_800_000_000);

        Assert.True(SignedLinkSigner.Verify(Key, Recording, Call, Org, 1_800_000_000, signature));
        Assert.False(SignedLinkSigner.Verify(Key, Recording, Guid.NewGuid().ToString(), Org, 1_800_000_000, signature));
        Assert.False(SignedLinkSigner.Verify(Key, Recording, Call, Guid.NewGuid(), 1_800_000_000, signature));
        Assert.False(SignedLinkSigner.Verify(Key, "export", Call, Org, 1_800_000_000, signature));
        Assert.False(SignedLinkSigner.Verify(Key, Recording, Call, Org, 1_800_000_001, signature));
        byte[] otherKey = [.. Key.Select(b => (byte)(b ^ 0xFF))];
        Assert.False(SignedLinkSigner.Verify(otherKey, Recording, Call, Org, 1_800_000_000, signature));
    }

    [Fact]
    public void Signatures_are_unpadded_base64url_of_an_hmac_sha256_and_deterministic()
    {
        var signature = SignedLinkSigner.Sign(Key, Recording, Call, Org, 1_800_000_000);
        Assert.Equal(43, signature.Length);
        Assert.DoesNotContain('=', signature);
        Assert.DoesNotContain('+', signature);
        Assert.DoesNotContain('/', signature);
        Assert.Equal(signature, SignedLinkSigner.Sign(Key, Recording, Call, Org, 1_800_000_000));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_signatures_do_not_verify(string? signature) =>
        Assert.False(SignedLinkSigner.Verify(Key, Recording, Call, Org, 1_800_000_000, signature));

    [Fact]
    public void Every_character_of_the_signature_changed_to_every_other_does_not_verify()
    {
        // Including the last character, whose low bits are padding in base64url: a second spelling of the same
        // bytes is an altered link too.
        var signature = SignedLinkSigner.Sign(Key, Recording, Call, Org, 1_800_000_000);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (var i = 0; i < signature.Length; i++)
        {
            foreach (var c in alphabet.Where(c => c != signature[i]))
            {
                var tampered = signature[..i] + c + signature[(i + 1)..];
                Assert.False(SignedLinkSigner.Verify(Key, Recording, Call, Org, 1_800_000_000, tampered), tampered);
            }
        }
    }

    [Fact]
    public void A_short_key_is_refused() =>
        Assert.Throws<ArgumentException>(() => SignedLinkSigner.Sign(new byte[16], Recording, Call, Org, 1));
}
