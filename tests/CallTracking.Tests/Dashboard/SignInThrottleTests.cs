using System.Diagnostics.Metrics;
using System.Net;
using CallTracking.Engine.Dashboard;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Dashboard;

public sealed class SignInThrottleTests : IDisposable
{
    private static readonly IPAddress Here = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress There = IPAddress.Parse("198.51.100.7");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TestMeterFactory _meters = new();
    private readonly SignInThrottle _throttle;

    public SignInThrottleTests() => _throttle = new SignInThrottle(_time, _meters);

    public void Dispose() => _meters.Dispose();

    [Fact]
    public void The_sixth_attempt_after_five_failures_waits_until_the_oldest_failure_leaves_the_window()
    {
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
        {
            Assert.Null(_throttle.RetryAfter("alice", Here));
            _throttle.Failed("alice", Here);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        // Five failures at minutes 0..4, now minute 5: the first leaves the window at minute 15.
        Assert.Equal(TimeSpan.FromMinutes(10), _throttle.RetryAfter("alice", Here));
        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.NotNull(_throttle.RetryAfter("alice", Here));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_throttle.RetryAfter("alice", Here));
    }

    [Fact]
    public void Failures_count_per_user_name_and_address_and_user_names_ignore_case()
    {
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
        {
            _throttle.Failed(i % 2 == 0 ? "Alice" : "alice ", Here);
        }

        Assert.NotNull(_throttle.RetryAfter("ALICE", Here));
        Assert.Null(_throttle.RetryAfter("alice", There));
        Assert.Null(_throttle.RetryAfter("bob", Here));
    }

    [Fact]
    public void A_successful_sign_in_clears_the_count()
    {
        for (var i = 0; i < SignInThrottle.MaxFailures - 1; i++)
        {
            _throttle.Failed("alice", Here);
        }

        _throttle.Succeeded("alice", Here);
        _throttle.Failed("alice", Here);
        Assert.Null(_throttle.RetryAfter("alice", Here));
    }

    [Fact]
    public void Memory_stays_bounded_under_a_spray_of_user_names()
    {
        for (var i = 0; i < SignInThrottle.MaxTrackedKeys + 100; i++)
        {
            _throttle.Failed($"user{i}", Here);
        }

        // The newest are still tracked: a spray does not wipe the record of an attacker's latest attempts.
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
        {
            _throttle.Failed("target", Here);
        }

        Assert.NotNull(_throttle.RetryAfter("target", Here));
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
