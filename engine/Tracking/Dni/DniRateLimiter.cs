using System.Threading.RateLimiting;

namespace CallTracking.Engine.Tracking.Dni;

/// <summary>
/// Limits the public DNI endpoints per client address (<see cref="RequestsPerMinuteKey"/>, default
/// <see cref="DefaultRequestsPerMinute"/>): a page makes one request at load and one per heartbeat, so a client far
/// above that is a script or a scraper draining the pool.
/// </summary>
public sealed class DniRateLimiter : IDisposable
{
    public const string RequestsPerMinuteKey = "Dni:RequestsPerMinute";

    public const int DefaultRequestsPerMinute = 120;

    private readonly PartitionedRateLimiter<string> _limiter;

    public DniRateLimiter(int requestsPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerMinute, 1);
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = requestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
    }

    /// <summary>Whether one more request from <paramref name="address"/> is allowed now.</summary>
    public bool TryAcquire(string address)
    {
        using var lease = _limiter.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
