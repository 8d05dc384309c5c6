using System.Text.Json.Nodes;
using CallTracking.Engine.Privacy;

namespace CallTracking.Tests.Privacy;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Canonical_json_sorts_members_at_every_depth_and_drops_white_space()
    {
        var a = AuditChain.CanonicalJson(JsonNode.Parse("""{ "b": 1, "a": { "y": [ 2, { "d": 1, "c": 2 } ], "x": null } }"""));
        var b = AuditChain.CanonicalJson(JsonNode.Parse("""{"a":{"x":null,"y":[2,{"c":2,"d":1}]},"b":1}"""));
        Assert.Equal("""{"a":{"x":null,"y":[2,{"c":2,"d":1}]},"b":1}""", a);
        Assert.Equal(a, b);
        Assert.Null(AuditChain.CanonicalJson(null));
    }

    [Fact]
    public void Every_field_changes_the_hash_and_fields_cannot_be_shifted_into_each_other()
    {
        var org = Guid.NewGuid();
        var prev = new byte[32];
        var baseline = AuditChain.Hash(5, At, "key:abc", org, "recording.download", "call:1", "{}", prev);
        Assert.Equal(32, baseline.Length);
        Assert.Equal(baseline, AuditChain.Hash(5, At, "key:abc", org, "recording.download", "call:1", "{}", prev));

        byte[][] variants =
        [
            AuditChain.Hash(6, At, "key:abc", org, "recording.download", "call:1", "{}", prev),
            AuditChain.Hash(5, At.AddTicks(10), "key:abc", org, "recording.download", "call:1", "{}", prev),
            AuditChain.Hash(5, At, "key:abd", org, "recording.download", "call:1", "{}", prev),
            AuditChain.Hash(5, At, "key:abc", null, "recording.download", "call:1", "{}", prev),
            AuditChain.Hash(5, At, "key:abc", org, "recording.downloaD", "call:1", "{}", prev),
            AuditChain.Hash(5, At, "key:abc", org, "recording.download", "call:2", "{}", prev),
            AuditChain.Hash(5, At, "key:abc", org, "recording.download", "call:1", null, prev),
            AuditChain.Hash(5, At, "key:abc", org, "recording.download", "call:1", "{}", [1, .. new byte[31]]),
            AuditChain.Hash(5, At, "key:ab", org, "crecording.download", "call:1", "{}", prev),
        ];
        foreach (var variant in variants)
        {
            Assert.NotEqual(baseline, variant);
        }
    }

    [Fact]
    public void Times_are_truncated_to_the_microseconds_postgresql_keeps() =>
        Assert.Equal(At.AddTicks(1230), AuditChain.Truncate(At.AddTicks(1239)));
}
