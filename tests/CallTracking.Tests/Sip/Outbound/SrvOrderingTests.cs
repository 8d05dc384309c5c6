using CallTracking.Engine.Sip.Outbound;
using CallTracking.Engine.Sip.Outbound.Dns;

namespace CallTracking.Tests.Sip.Outbound;

public class SrvOrderingTests
{
    private static DnsRecord Srv(string target, ushort priority, ushort weight)
        => new("_sip._udp.x", DnsRecordType.Srv, 60) { Target = target, Priority = priority, Weight = weight, Port = 5060 };

    [Fact]
    public void Lower_priority_always_comes_first()
    {
        var records = new[] { Srv("c", 30, 100), Srv("a", 10, 0), Srv("b", 20, 65535) };
        for (var seed = 0; seed < 50; seed++)
        {
            Assert.Equal(["a", "b", "c"], SrvOrdering.Order(records, new Random(seed)).Select(r => r.Target));
        }
    }

    [Fact]
    public void Weights_share_first_place_in_proportion()
    {
        var records = new[] { Srv("heavy", 10, 90), Srv("light", 10, 10) };
        var random = new Random(1234);
        var heavyFirst = 0;
        const int Rounds = 10_000;
        for (var i = 0; i < Rounds; i++)
        {
            var ordered = SrvOrdering.Order(records, random);
            Assert.Equal(2, ordered.Count);
            heavyFirst += ordered[0].Target == "heavy" ? 1 : 0;
        }

        // RFC 2782: chance of first place is weight / total = 0.9 (±0.02 at 10,000 draws).
        Assert.InRange(heavyFirst / (double)Rounds, 0.88, 0.92);
    }

    [Fact]
    public void Same_seed_gives_the_same_order()
    {
        var records = Enumerable.Range(0, 6).Select(i => Srv("t" + i, 10, (ushort)(i * 10))).ToArray();
        var first = SrvOrdering.Order(records, new Random(7)).Select(r => r.Target).ToArray();
        var second = SrvOrdering.Order(records, new Random(7)).Select(r => r.Target).ToArray();
        Assert.Equal(first, second);
        Assert.Equal(6, first.Distinct().Count());
    }

    [Fact]
    public void All_zero_weights_still_order_every_record()
    {
        var records = new[] { Srv("a", 5, 0), Srv("b", 5, 0), Srv("c", 5, 0) };
        Assert.Equal(3, SrvOrdering.Order(records, new Random(3)).Select(r => r.Target).Distinct().Count());
    }
}
