using System.Net;
using CallTracking.Engine.Sip.Trunks;

namespace CallTracking.Tests.Sip.Trunks;

public sealed class TwilioPresetTests
{
    private static readonly Trunk Twilio = new("twilio", TwilioSignallingRanges.All, preset: TrunkPresets.Twilio);
    private static readonly TrunkAdmission Admission = new([Twilio]);

    [Theory]
    [InlineData("ashburn", "54.172.60.1")]
    [InlineData("ashburn", "34.203.251.200")]
    [InlineData("umatilla", "54.244.51.3")]
    [InlineData("umatilla", "34.216.111.9")]
    [InlineData("dublin", "54.171.127.194")]
    [InlineData("dublin", "52.215.127.255")]
    [InlineData("frankfurt", "35.156.191.129")]
    [InlineData("frankfurt", "3.122.181.10")]
    [InlineData("tokyo", "54.65.63.193")]
    [InlineData("tokyo", "3.112.80.77")]
    [InlineData("singapore", "54.169.127.130")]
    [InlineData("singapore", "3.1.77.1")]
    [InlineData("sydney", "54.252.254.66")]
    [InlineData("sydney", "3.104.90.200")]
    [InlineData("sao-paulo", "177.71.206.195")]
    [InlineData("sao-paulo", "18.228.249.4")]
    public void A_source_from_every_edge_is_admitted(string edge, string source)
    {
        Assert.Contains(TwilioSignallingRanges.Edges, e => e.Name == edge && e.Networks.Any(n => n.Contains(IPAddress.Parse(source))));
        Assert.True(Admission.TryAdmit(IPAddress.Parse(source), out var trunk));
        Assert.Same(Twilio, trunk);
    }

    [Theory]
    [InlineData("54.172.60.4")]      // just past Virginia's /30
    [InlineData("54.172.59.255")]    // just before it
    [InlineData("34.203.252.0")]     // just past Virginia's /23
    [InlineData("54.171.127.196")]   // just past Ireland's /30
    [InlineData("3.122.182.1")]      // next /24 after Frankfurt's
    [InlineData("177.71.206.191")]   // just before São Paulo's /30
    [InlineData("18.228.248.255")]   // just before São Paulo's /24
    [InlineData("::ffff:3.1.78.1")]  // past Singapore's /24, as a dual-stack socket reports it
    public void A_neighbour_outside_the_ranges_is_not(string source)
    {
        Assert.False(Admission.TryAdmit(IPAddress.Parse(source), out _));
    }

    [Fact]
    public void Table_names_all_eight_edges_with_two_networks_each()
    {
        Assert.Equal(8, TwilioSignallingRanges.Edges.Count);
        Assert.All(TwilioSignallingRanges.Edges, e => Assert.Equal(2, e.Networks.Count));
        Assert.Equal(16, TwilioSignallingRanges.All.Count);
    }
}
