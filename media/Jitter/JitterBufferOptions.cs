namespace CallTracking.Media.Jitter;

/// <summary>
/// Configuration of a <see cref="JitterBuffer"/>. Depths are rounded up to whole frames.
/// </summary>
public sealed record JitterBufferOptions
{
    /// <summary>RTP clock rate of the payload format (8000 for G.711).</summary>
    public int ClockRate { get; init; } = 8000;

    /// <summary>Duration of one frame; also the period at which the buffer is popped.</summary>
    public TimeSpan FrameDuration { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Lowest depth the buffer adapts down to.</summary>
    public TimeSpan MinDepth { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Highest depth the buffer adapts up to.</summary>
    public TimeSpan MaxDepth { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Target depth before any jitter has been measured; clamped to [min, max].</summary>
    public TimeSpan InitialDepth { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Bytes each slot holds; a larger payload is refused as TooLarge.</summary>
    public int SlotPayloadCapacity { get; init; } = 1500;

    /// <summary>
    /// The target depth falls by at most one frame per interval, and a frame that arrived is
    /// dropped to reduce depth at most once per interval (gaps are skipped freely).
    /// </summary>
    public TimeSpan ShrinkInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Timestamp units per frame (160 for 20 ms at 8 kHz).</summary>
    public int SamplesPerFrame => (int)(ClockRate * FrameDuration.Ticks / TimeSpan.TicksPerSecond);

    internal int MinFrames => Frames(MinDepth);

    internal int MaxFrames => Frames(MaxDepth);

    internal int InitialFrames => Math.Clamp(Frames(InitialDepth), MinFrames, MaxFrames);

    internal int ShrinkIntervalFrames => Math.Max(1, Frames(ShrinkInterval));

    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        if (ClockRate <= 0)
        {
            throw new ArgumentException("ClockRate must be positive.", nameof(ClockRate));
        }

        if (FrameDuration <= TimeSpan.Zero
            || ClockRate * FrameDuration.Ticks % TimeSpan.TicksPerSecond != 0
            || SamplesPerFrame < 1)
        {
            throw new ArgumentException("FrameDuration must be positive and a whole number of clock units.", nameof(FrameDuration));
        }

        if (MinDepth < FrameDuration)
        {
            throw new ArgumentException("MinDepth must be at least one frame.", nameof(MinDepth));
        }

        if (MaxDepth < MinDepth)
        {
            throw new ArgumentException("MaxDepth must not be below MinDepth.", nameof(MaxDepth));
        }

        if (MaxFrames > 1000)
        {
            throw new ArgumentException("MaxDepth must not exceed 1,000 frames.", nameof(MaxDepth));
        }

        if (SlotPayloadCapacity <= 0)
        {
            throw new ArgumentException("SlotPayloadCapacity must be positive.", nameof(SlotPayloadCapacity));
        }

        if (ShrinkInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("ShrinkInterval must not be negative.", nameof(ShrinkInterval));
        }
    }

    private int Frames(TimeSpan depth) => (int)((depth.Ticks + FrameDuration.Ticks - 1) / FrameDuration.Ticks);
}
