using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CallTracking.Engine.Sip.Auth;
using CallTracking.Engine.Sip.Trunks;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Sip.Auth;

public sealed class DigestServerTests
{
    private const string Uri = "sip:+15551230001@127.0.0.1:5060";
    private static readonly TrunkCredentials Credentials = new("u", "p", "calltracking");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly DigestServer _server;

    public DigestServerTests() => _server = new DigestServer(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), _time);

    [Theory]
    // RFC 7616 §3.9.1, the worked example (HTTP, but the computation is the same).
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Response_matches_the_RFC_7616_example(string algorithm, string expected)
    {
        var name = algorithm == "MD5" ? DigestAlgorithm.Md5 : DigestAlgorithm.Sha256;
        var response = DigestHash.Response(
            name, "Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html",
            "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "auth");
        Assert.Equal(expected, response);
    }

    [Fact]
    public void Challenge_offers_MD5_then_SHA256_with_qop_auth()
    {
        var challenge = _server.Challenge("calltracking", stale: false);
        var lines = challenge.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("WWW-Authenticate: Digest realm=\"calltracking\", nonce=\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("algorithm=MD5, qop=\"auth\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("algorithm=SHA-256, qop=\"auth\"", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("stale", challenge, StringComparison.Ordinal);
        Assert.Contains("stale=true", _server.Challenge("calltracking", stale: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MD5", true)]
    [InlineData("SHA-256", true)]
    [InlineData("MD5", false)]
    public void Correct_answer_is_valid(string algorithm, bool withQop)
    {
        var nonce = Nonce(_server.Challenge("calltracking", stale: false));
        Assert.Equal(DigestVerdict.Valid, _server.Verify(Answer(algorithm, nonce, "p", withQop), "INVITE", Credentials));
    }

    [Fact]
    public void Wrong_password_or_username_is_wrong_credentials()
    {
        var nonce = Nonce(_server.Challenge("calltracking", stale: false));
        Assert.Equal(DigestVerdict.WrongCredentials, _server.Verify(Answer("MD5", nonce, "wrong"), "INVITE", Credentials));
        Assert.Equal(DigestVerdict.WrongCredentials, _server.Verify(Answer("MD5", nonce, "p", username: "someone"), "INVITE", Credentials));
        Assert.Equal(DigestVerdict.WrongCredentials, _server.Verify(Answer("MD5", nonce, "p"), "BYE", Credentials));
    }

    [Fact]
    public void Answer_for_another_request_uri_is_not_accepted()
    {
        var nonce = Nonce(_server.Challenge("calltracking", stale: false));
        Assert.Equal(DigestVerdict.Valid, _server.Verify(Answer("MD5", nonce, "p"), "INVITE", Credentials, Uri));
        Assert.Equal(DigestVerdict.Malformed, _server.Verify(Answer("MD5", nonce, "p"), "INVITE", Credentials, "sip:+15559990000@127.0.0.1:5060"));
    }

    [Fact]
    public void Expired_nonce_is_stale_and_foreign_nonce_unknown()
    {
        var nonce = Nonce(_server.Challenge("calltracking", stale: false));
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(DigestVerdict.Valid, _server.Verify(Answer("MD5", nonce, "p"), "INVITE", Credentials));
        _time.Advance(TimeSpan.FromMinutes(1.5));
        Assert.Equal(DigestVerdict.Stale, _server.Verify(Answer("MD5", nonce, "p"), "INVITE", Credentials));

        var other = new DigestServer(new byte[32], _time);
        var foreign = Nonce(other.Challenge("calltracking", stale: false));
        Assert.Equal(DigestVerdict.UnknownNonce, _server.Verify(Answer("MD5", foreign, "p"), "INVITE", Credentials));
        Assert.Equal(DigestVerdict.UnknownNonce, _server.Verify(Answer("MD5", "bogus", "p"), "INVITE", Credentials));
    }

    [Theory]
    [InlineData("Basic dTpw")]
    [InlineData("Digest username=\"u\", realm=\"calltracking\"")]
    [InlineData("Digest username=\"u\", realm=\"calltracking\", nonce=\"x\", uri=\"sip:a@b\", response=\"00\", algorithm=SHA-512-256")]
    [InlineData("Digest username=\"u, realm=\"calltracking")]
    [InlineData("")]
    public void Unreadable_headers_are_malformed(string header)
    {
        Assert.Equal(DigestVerdict.Malformed, _server.Verify(Encoding.ASCII.GetBytes(header), "INVITE", Credentials));
    }

    private static string Nonce(string challenge) => Regex.Match(challenge, "nonce=\"([^\"]+)\"").Groups[1].Value;

    private static byte[] Answer(string algorithm, string nonce, string password, bool withQop = true, string username = "u")
    {
        var name = algorithm == "MD5" ? DigestAlgorithm.Md5 : DigestAlgorithm.Sha256;
        var response = withQop
            ? DigestHash.Response(name, username, "calltracking", password, "INVITE", Uri, nonce, "00000001", "abc", "auth")
            : DigestHash.Response(name, username, "calltracking", password, "INVITE", Uri, nonce, null, null, null);
        var qop = withQop ? ", qop=auth, nc=00000001, cnonce=\"abc\"" : string.Empty;
        return Encoding.ASCII.GetBytes(
            $"Digest username=\"{username}\", realm=\"calltracking\", nonce=\"{nonce}\", uri=\"{Uri}\", response=\"{response}\", algorithm={algorithm}{qop}");
    }
}
