using CallTracking.Engine.Sip.Auth;
using System.Text;
using CallTracking.Engine.Sip.Outbound;

namespace CallTracking.Tests.Sip.Outbound;

public class DigestAuthenticatorTests
{
    // RFC 7616 §3.9.1.
    private const string Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    private const string Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

    [Theory]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616_example_response_is_reproduced(string algorithm, string expected)
    {
        var header = $"Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm={algorithm}, nonce=\"{Nonce}\", opaque=\"{Opaque}\"";
        Assert.True(DigestChallenge.TryParse(Encoding.ASCII.GetBytes(header), out var challenge));
        Assert.True(challenge!.QopAuth);
        var response = DigestAuthenticator.ComputeResponse(challenge, "Mufasa", "Circle of Life", "GET", "/dir/index.html", Cnonce, 1);
        Assert.Equal(expected, response);
        var credentials = DigestAuthenticator.BuildCredentials(challenge, "Mufasa", "Circle of Life", "GET", "/dir/index.html", Cnonce, 1);
        Assert.Contains($"response=\"{expected}\"", credentials, StringComparison.Ordinal);
        Assert.Contains("qop=auth, nc=00000001", credentials, StringComparison.Ordinal);
        Assert.Contains($"opaque=\"{Opaque}\"", credentials, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfc2617_example_without_opaque_in_response_matches()
    {
        // RFC 2617 §3.5.
        var header = "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
        Assert.True(DigestChallenge.TryParse(Encoding.ASCII.GetBytes(header), out var challenge));
        Assert.Equal(DigestAlgorithm.Md5, challenge!.Algorithm);
        var response = DigestAuthenticator.ComputeResponse(challenge, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b", 1);
        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    [Theory]
    [InlineData("Basic realm=\"x\"")]
    [InlineData("Digest nonce=\"n\"")]
    [InlineData("Digest realm=\"r\"")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"")]
    [InlineData("DigestX realm=\"r\", nonce=\"n\"")]
    public void Challenges_we_cannot_answer_are_refused(string header)
        => Assert.False(DigestChallenge.TryParse(Encoding.ASCII.GetBytes(header), out _));

    [Fact]
    public void Challenge_without_qop_is_answered_rfc2069_style()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\", stale=TRUE"u8, out var challenge));
        Assert.False(challenge!.QopAuth);
        Assert.True(challenge.Stale);
        var credentials = DigestAuthenticator.BuildCredentials(challenge, "u", "p", "INVITE", "sip:+1@x", "c", 1);
        Assert.DoesNotContain("qop", credentials, StringComparison.Ordinal);
    }
}
