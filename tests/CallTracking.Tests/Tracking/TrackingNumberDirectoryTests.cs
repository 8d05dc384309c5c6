using System.Text;
using CallTracking.Engine.Tracking;

namespace CallTracking.Tests.Tracking;

public sealed class TrackingNumberDirectoryTests
{
    private readonly TrackingNumberDirectory _directory = new([new("+15551230001", "Google Ads"), new("+442071234567", "London")]);

    [Theory]
    [InlineData("+15551230001", "Google Ads")]
    [InlineData("15551230001", "Google Ads")]
    [InlineData("+1-555-123-0001", "Google Ads")]
    [InlineData("+1 (555) 123.0001", "Google Ads")]
    [InlineData("+442071234567", "London")]
    public void Finds_numbers_written_in_any_accepted_form(string user, string name)
    {
        Assert.True(_directory.TryFind(Encoding.ASCII.GetBytes(user), out var number));
        Assert.Equal(name, number.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("5551230001")]
    [InlineData("+15551230002")]
    [InlineData("alice")]
    [InlineData("+15551230001;npdi")]
    [InlineData("++15551230001")]
    [InlineData("1555123000199999999")]
    public void Anything_else_is_not_found(string user)
    {
        Assert.False(_directory.TryFind(Encoding.ASCII.GetBytes(user), out _));
    }

    [Fact]
    public void Lookup_does_not_allocate()
    {
        var user = "+1-555-123-0001"u8.ToArray();
        _directory.TryFind(user, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _directory.TryFind(user, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
