namespace CallTracking.Engine.Outbound;

/// <summary>
/// Exponential back-off with jitter: after attempt n the next waits <c>min(base·2^(n-1), max)</c> stretched by a
/// random 0–20 %. The jitter only lengthens, so the schedule never ends sooner than <see cref="MinimumSpan"/>, and
/// receivers coming back from an outage are not hit by every engine's retries in the same second.
/// </summary>
public sealed class RetrySchedule
{
    private const double Jitter = 0.2;

    private readonly OutboundOptions _options;
    private readonly Func<double> _random;

    /// <param name="random">Uniform in [0, 1): the jitter's source.</param>
    public RetrySchedule(OutboundOptions options, Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        _options = options;
        _random = random;
    }

    /// <summary>The delay after <paramref name="attemptsMade"/> failed attempts (1 after the first).</summary>
    public TimeSpan DelayAfter(int attemptsMade) => Nominal(_options, attemptsMade) * (1 + (Jitter * _random()));

    /// <summary>The shortest time from the first attempt to the last the options allow (every jitter at zero).</summary>
    public static TimeSpan MinimumSpan(OutboundOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var total = TimeSpan.Zero;
        for (var attempt = 1; attempt < options.MaxAttempts; attempt++)
        {
            total += Nominal(options, attempt);
        }

        return total;
    }

    private static TimeSpan Nominal(OutboundOptions options, int attemptsMade)
    {
        var exponent = Math.Clamp(attemptsMade - 1, 0, 30);
        var ticks = Math.Min(options.RetryBase.Ticks * Math.Pow(2, exponent), options.RetryMax.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
