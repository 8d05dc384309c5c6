namespace CallTracking.Media.Codecs;

/// <summary>
/// Plans the RFC 4733 packets for one key press: a first packet with the marker
/// bit (duration 0, as sipp and Asterisk send it), an update every
/// <see cref="UpdateInterval"/> with the duration so far, and the final packet
/// three times (§2.5.1.4). Events longer than 0xFFFF units are split into
/// segments (§2.5.1.3). Stateless and thread-safe; the sequence is a struct.
/// </summary>
public sealed class DtmfSender
{
    /// <summary>The final packet is sent this many times (RFC 4733 §2.5.1.4 recommends three).</summary>
    public const int EndPacketCount = 3;

    public static readonly TimeSpan DefaultUpdateInterval = TimeSpan.FromMilliseconds(50);

    public DtmfSender(int clockRate = 8000, TimeSpan? updateInterval = null, byte volume = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(volume, TelephoneEvent.MaxVolume);
        var interval = updateInterval ?? DefaultUpdateInterval;
        IntervalUnits = ToUnits(interval, clockRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(IntervalUnits, nameof(updateInterval));
        ClockRate = clockRate;
        UpdateInterval = interval;
        Volume = volume;
    }

    public int ClockRate { get; }

    public TimeSpan UpdateInterval { get; }

    /// <summary><see cref="UpdateInterval"/> in timestamp units.</summary>
    public long IntervalUnits { get; }

    /// <summary>Volume written into every packet, in −dBm0.</summary>
    public byte Volume { get; }

    /// <summary>The packets for one key press, in sending order.</summary>
    /// <param name="digit">0–9, *, #, A–D.</param>
    /// <param name="startTimestamp">RTP timestamp of the moment the key goes down.</param>
    /// <param name="duration">How long the key is held (rounded to timestamp units; at least one unit).</param>
    public DtmfPacketSequence Packets(char digit, uint startTimestamp, TimeSpan duration) =>
        Packets(DtmfDigit.ToEvent(digit), startTimestamp, Math.Max(1, ToUnits(duration, ClockRate)));

    /// <summary>The packets for any event code, with the duration in timestamp units.</summary>
    public DtmfPacketSequence Packets(byte @event, uint startTimestamp, long durationUnits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationUnits);
        return new DtmfPacketSequence(@event, Volume, startTimestamp, durationUnits, IntervalUnits);
    }

    private static long ToUnits(TimeSpan time, int clockRate) =>
        (long)Math.Round(time.Ticks * (double)clockRate / TimeSpan.TicksPerSecond);
}
