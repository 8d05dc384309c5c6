namespace CallTracking.Media.Rtp;

/// <summary>
/// A 64-bit NTP timestamp (RFC 5905 §6): seconds since 1900-01-01 UTC in the high 32 bits, the
/// fraction of a second in the low 32. RTCP sender reports carry it (RFC 3550 §6.4.1) and report
/// blocks echo its middle 32 bits as LSR.
/// </summary>
public readonly record struct NtpTimestamp(ulong Value)
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    private static readonly long EpochTicks = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    // RFC 4330 §3: seconds with the top bit clear are taken as era 1 (from 2036-02-07 06:28:16 UTC).
    private static readonly long Era1Ticks = EpochTicks + ((1L << 32) * TicksPerSecond);

    public NtpTimestamp(uint seconds, uint fraction)
        : this(((ulong)seconds << 32) | fraction)
    {
    }

    public uint Seconds => (uint)(Value >> 32);

    public uint Fraction => (uint)Value;

    /// <summary>The middle 32 bits (16.16 fixed point): what a report block's LSR field holds.</summary>
    public uint Middle32 => (uint)(Value >> 16);

    public static NtpTimestamp FromDateTimeOffset(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - EpochTicks;
        long seconds = Math.DivRem(ticks, TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TicksPerSecond;
        }

        // remainder < 10^7 < 2^24, so shifting by 32 cannot overflow.
        uint fraction = (uint)(((ulong)remainder << 32) / TicksPerSecond);
        return new NtpTimestamp(unchecked((uint)seconds), fraction);
    }

    public static NtpTimestamp FromTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return FromDateTimeOffset(timeProvider.GetUtcNow());
    }

    /// <summary>The time this stamp stands for, in 1968–2104 (RFC 4330 §3 era rule).</summary>
    public DateTimeOffset ToDateTimeOffset()
    {
        long baseTicks = (Seconds & 0x8000_0000) != 0 ? EpochTicks : Era1Ticks;
        long ticks = baseTicks + (Seconds * TicksPerSecond) + (long)(((ulong)Fraction * TicksPerSecond) >> 32);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>A duration in the 16.16 "short format" of a report block's DLSR (units of 1/65536 s), saturating.</summary>
    public static uint ToShortFormat(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return 0;
        }

        if (duration.Ticks >= 65536 * TicksPerSecond)
        {
            return uint.MaxValue;
        }

        return (uint)(duration.Ticks * 65536 / TicksPerSecond);
    }

    public static TimeSpan FromShortFormat(uint units) => TimeSpan.FromTicks((long)units * TicksPerSecond / 65536);

    /// <summary>
    /// RFC 3550 §6.4.1 round-trip time from a report block: arrival time (middle 32 bits) minus
    /// LSR minus DLSR. Zero when the block has no LSR (no sender report received yet).
    /// </summary>
    public static TimeSpan RoundTripTime(NtpTimestamp arrival, uint lastSenderReport, uint delaySinceLastSenderReport)
    {
        if (lastSenderReport == 0)
        {
            return TimeSpan.Zero;
        }

        int units = unchecked((int)(arrival.Middle32 - lastSenderReport - delaySinceLastSenderReport));
        return units <= 0 ? TimeSpan.Zero : FromShortFormat((uint)units);
    }
}
