using System.Diagnostics.Metrics;
using System.Net;

namespace CallTracking.Engine.Dashboard;

/// <summary>
/// Counts failed sign-ins per user name and client address and refuses further attempts (429) after
/// <see cref="MaxFailures"/> within <see cref="Window"/>, until the oldest failure of the window ages out.
/// Keyed by both so that one attacker cannot lock a user out from everywhere, and one address guessing many
/// names is still slowed by the PBKDF2 cost of each guess. In memory, per engine node: a restart forgets it.
/// </summary>
public sealed class SignInThrottle
{
    public const int MaxFailures = 5;

    /// <summary>Beyond this many tracked keys, expired entries are swept and then the stalest dropped (bounded memory).</summary>
    public const int MaxTrackedKeys = 10_000;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly TimeProvider _time;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _refused;

    // Guarded by _gate; each queue holds the times of the failures still inside the window, oldest first.
    private readonly Dictionary<(string User, string Address), Queue<DateTimeOffset>> _failed = [];
    private readonly Lock _gate = new();

    public SignInThrottle(TimeProvider time, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(meters);
        _time = time;
        var meter = meters.Create(DashboardEndpoints.MeterName);
        _failures = meter.CreateCounter<long>("calltracking.dashboard.sign_in_failures", description: "Dashboard sign-ins refused for a wrong user name or password");
        _refused = meter.CreateCounter<long>("calltracking.dashboard.sign_in_throttled", description: "Dashboard sign-ins refused (429) after too many failures");
    }

    /// <summary>Null when an attempt may proceed; otherwise how long until the next one may.</summary>
    public TimeSpan? RetryAfter(string username, IPAddress? address)
    {
        var key = Key(username, address);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_failed.TryGetValue(key, out var times))
            {
                return null;
            }

            Expire(times, now);
            if (times.Count < MaxFailures)
            {
                return null;
            }

            _refused.Add(1);
            return times.Peek() + Window - now;
        }
    }

    public void Failed(string username, IPAddress? address)
    {
        var key = Key(username, address);
        var now = _time.GetUtcNow();
        _failures.Add(1);
        lock (_gate)
        {
            if (!_failed.TryGetValue(key, out var times))
            {
                if (_failed.Count >= MaxTrackedKeys)
                {
                    Sweep(now);
                }

                times = new Queue<DateTimeOffset>();
                _failed[key] = times;
            }

            Expire(times, now);
            times.Enqueue(now);
        }
    }

    public void Succeeded(string username, IPAddress? address)
    {
        lock (_gate)
        {
            _failed.Remove(Key(username, address));
        }
    }

    private static (string, string) Key(string username, IPAddress? address) =>
        (username.Trim().ToUpperInvariant(), address?.ToString() ?? "-");

    private static void Expire(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && now - times.Peek() >= Window)
        {
            times.Dequeue();
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, times) in _failed.ToList())
        {
            Expire(times, now);
            if (times.Count == 0)
            {
                _failed.Remove(key);
            }
        }

        // Still full: forget the entries whose latest failure is oldest.
        if (_failed.Count >= MaxTrackedKeys)
        {
            foreach (var key in _failed.OrderBy(entry => entry.Value.Last()).Take(_failed.Count - (MaxTrackedKeys / 2)).Select(entry => entry.Key).ToList())
            {
                _failed.Remove(key);
            }
        }
    }
}
