using System.Net;
using CallTracking.Engine.Api;

namespace CallTracking.Tests.Api;

public sealed class HttpListenAddressTests
{
    [Theory]
    [InlineData(null, "127.0.0.1", 8080)]
    [InlineData("http://127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("http://localhost:9000/", "127.0.0.1", 9000)]
    [InlineData("http://[::1]:8080", "::1", 8080)]
    [InlineData("http://*:80", "::", 80)]
    public void Good_addresses_parse(string? text, string address, int port)
    {
        Assert.True(HttpListenAddress.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(IPAddress.Parse(address), parsed.Address);
        Assert.Equal(port, parsed.Port);
    }

    [Theory]
    [InlineData("https://127.0.0.1:443", "HTTPS")]
    [InlineData("127.0.0.1:8080", "expected http://")]
    [InlineData("http://127.0.0.1", "no port")]
    [InlineData("http://127.0.0.1:99999", "port")]
    [InlineData("http://example.com:80", "not an IP address")]
    public void Bad_addresses_say_why(string text, string reason)
    {
        Assert.False(HttpListenAddress.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
