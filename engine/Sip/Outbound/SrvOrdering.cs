using CallTracking.Engine.Sip.Outbound.Dns;

namespace CallTracking.Engine.Sip.Outbound;

/// <summary>RFC 2782 target selection: lowest priority first; within a priority, a weighted random order.</summary>
public static class SrvOrdering
{
    public static IReadOnlyList<DnsRecord> Order(IReadOnlyList<DnsRecord> records, Random random)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(random);
        var ordered = new List<DnsRecord>(records.Count);
        foreach (var group in records.Where(r => r.Type == DnsRecordType.Srv).GroupBy(r => r.Priority).OrderBy(g => g.Key))
        {
            // RFC 2782: zero-weight records first, then repeatedly pick by running sum against a random number
            // between 0 and the total weight of what is left.
            var remaining = group.OrderBy(r => r.Weight == 0 ? 0 : 1).ToList();
            while (remaining.Count > 0)
            {
                var total = remaining.Sum(r => (int)r.Weight);
                var pick = random.Next(0, total + 1);
                var running = 0;
                var chosen = remaining.Count - 1;
                for (var i = 0; i < remaining.Count; i++)
                {
                    running += remaining[i].Weight;
                    if (running >= pick)
                    {
                        chosen = i;
                        break;
                    }
                }

                ordered.Add(remaining[chosen]);
                remaining.RemoveAt(chosen);
            }
        }

        return ordered;
    }
}
