using CallTracking.Media.Rtp;

namespace CallTracking.Tests.Media.Rtp;

public sealed class RtpPortAllocatorTests
{
    [Theory]
    [InlineData("20000-29999", 20000, 29999, 5000)]
    [InlineData("1024-1025", 1024, 1025, 1)]
    public void Valid_ranges_parse(string text, int start, int end, int pairs)
    {
        Assert.True(RtpPortRange.TryParse(text, out var range, out var error), error);
        Assert.Equal((start, end, pairs), (range.Start, range.End, range.PairCount));
    }

    [Theory]
    [InlineData("20001-29999", "even")]
    [InlineData("30000-20000", "below")]
    [InlineData("1000-2000", "1024-65535")]
    [InlineData("20000-70000", "1024-65535")]
    [InlineData("abc", "start-end")]
    [InlineData("", "start-end")]
    public void Invalid_ranges_say_why(string text, string expected)
    {
        Assert.False(RtpPortRange.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Hands_out_even_ports_round_robin_and_does_not_reuse_a_just_freed_port()
    {
        var allocator = new RtpPortAllocator(new RtpPortRange(20000, 20007));
        Assert.True(allocator.TryAllocate(out var a));
        Assert.True(allocator.TryAllocate(out var b));
        Assert.Equal((20000, 20002), (a, b));
        allocator.Release(a);
        Assert.True(allocator.TryAllocate(out var c));
        Assert.Equal(20004, c);
        Assert.True(allocator.TryAllocate(out var d));
        Assert.Equal(20006, d);
        Assert.True(allocator.TryAllocate(out var e));
        Assert.Equal(20000, e);
    }

    [Fact]
    public void Exhaustion_fails_and_is_counted()
    {
        var allocator = new RtpPortAllocator(new RtpPortRange(20000, 20003));
        Assert.True(allocator.TryAllocate(out _));
        Assert.True(allocator.TryAllocate(out var last));
        Assert.False(allocator.TryAllocate(out _));
        Assert.False(allocator.TryAllocate(out _));
        Assert.Equal(2, allocator.ExhaustedCount);
        allocator.Release(last);
        Assert.True(allocator.TryAllocate(out var again));
        Assert.Equal(last, again);
    }

    [Fact]
    public void Releasing_a_port_not_allocated_or_not_in_range_throws()
    {
        var allocator = new RtpPortAllocator(new RtpPortRange(20000, 20009));
        Assert.Throws<InvalidOperationException>(() => allocator.Release(20002));
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.Release(20001));
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.Release(30000));
    }

    [Fact]
    public async Task Concurrent_allocation_never_hands_out_a_port_twice()
    {
        var allocator = new RtpPortAllocator(new RtpPortRange(20000, 29999));
        var ports = new System.Collections.Concurrent.ConcurrentBag<int>();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                Assert.True(allocator.TryAllocate(out var port));
                if (i % 2 == 0)
                {
                    allocator.Release(port);
                }
                else
                {
                    ports.Add(port);
                }
            }
        }));
        await Task.WhenAll(workers);
        Assert.Equal(4000, ports.Count);
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.Equal(4000, allocator.InUse);
        Assert.All(ports, p => Assert.True(p % 2 == 0 && p >= 20000 && p < 29999));
    }
}
