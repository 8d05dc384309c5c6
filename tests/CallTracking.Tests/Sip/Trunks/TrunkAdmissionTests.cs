using System.Net;
using CallTracking.Engine.Sip.Trunks;

namespace CallTracking.Tests.Sip.Trunks;

public sealed class TrunkAdmissionTests
{
    private static readonly Trunk Twilio = new("twilio", [IPNetwork.Parse("54.172.60.0/30"), IPNetwork.Parse("127.0.0.0/8")]);
    private static readonly Trunk Lab = new("lab", [IPNetwork.Parse("127.0.0.1/32"), IPNetwork.Parse("2001:db8::/32")]);
    private readonly TrunkAdmission _admission = new([Twilio, Lab]);

    [Theory]
    [InlineData("54.172.60.0", "twilio")]
    [InlineData("54.172.60.3", "twilio")]
    [InlineData("127.0.0.2", "twilio")]
    [InlineData("127.0.0.1", "lab")]
    [InlineData("::ffff:127.0.0.1", "lab")]
    [InlineData("::ffff:54.172.60.1", "twilio")]
    [InlineData("2001:db8::5", "lab")]
    public void Admits_by_longest_matching_prefix(string source, string trunk)
    {
        Assert.True(_admission.TryAdmit(IPAddress.Parse(source), out var admitted));
        Assert.Equal(trunk, admitted.Name);
    }

    [Theory]
    [InlineData("54.172.60.4")]
    [InlineData("10.0.0.1")]
    [InlineData("2001:db9::1")]
    [InlineData("::1")]
    public void Refuses_sources_outside_every_allow_list(string source)
    {
        Assert.False(_admission.TryAdmit(IPAddress.Parse(source), out _));
    }

    [Fact]
    public void Admission_does_not_allocate()
    {
        var source = IPAddress.Parse("::ffff:54.172.60.2");
        _admission.TryAdmit(source, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _admission.TryAdmit(source, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
