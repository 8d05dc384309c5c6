namespace CallTracking.Media.Jitter;

/// <summary>
/// Adaptive jitter buffer for one incoming RTP audio stream of fixed-duration frames.
/// Packets are <see cref="Insert"/>ed as they arrive; <see cref="Pop"/> is called once per frame
/// duration (the media worker's 20 ms tick) and hands out frames in timestamp order.
/// </summary>
/// <remarks>
/// <para>
/// Storage is a ring of preallocated slots indexed by frame index (timestamp / frame size, kept
/// as a 64-bit number so RTP timestamp and sequence wrap-around do not matter); payloads are
/// copied in. Nothing allocates after construction.
/// </para>
/// <para>
/// Depth: every arrival records its transit (arrival time minus media time) and its lead over
/// the play point. The spread of transits over the last ~128 packets, rounded up to frames, plus
/// one frame is the target depth: it rises as soon as a packet shows more delay variation, and
/// falls by one frame per <see cref="JitterBufferOptions.ShrinkInterval"/> only. The controlled
/// depth is the lead the earliest recent packets have (<see cref="CurrentDepth"/>). Below target
/// the buffer holds back one tick (an inserted concealment frame); above target it skips a gap
/// frame (lost or DTX: costs nothing audible) and, more than one frame above, drops a received
/// frame at most once per shrink interval. The same mechanism absorbs sender clock drift
/// (<see cref="DriftDrops"/>, <see cref="DriftInserts"/>).
/// </para>
/// <para>
/// Arrival times are <see cref="TimeProvider.GetTimestamp"/> values of the
/// <see cref="TimeProvider"/> given to the constructor. Thread-safe: the socket reader may
/// insert while the media worker pops; both take a lock held for a few hundred nanoseconds.
/// </para>
/// </remarks>
public sealed partial class JitterBuffer
{
    // RFC 3550 A.1: a sequence jump beyond these is a restarted sender, not loss or reordering.
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 1000;

    // A timestamp discontinuity with at most this many sequence numbers missing is realigned in
    // place (silence suppression, sender clock restart); with more, the stream is restarted.
    private const int MaxRealignGap = 50;

    // Delay history: 16 buckets of 8 packets, about 2.5 s at 50 packets/s.
    private const int HistoryBuckets = 16;
    private const int HistoryBucketSize = 8;

    private readonly Lock _lock = new();
    private readonly int _samplesPerFrame;
    private readonly long _frameTicks;
    private readonly TimeSpan _frameDuration;
    private readonly int _minFrames;
    private readonly int _maxFrames;
    private readonly int _shrinkIntervalFrames;
    private readonly int _idleAfterFrames;
    private readonly long _stragglerTicks;
    private readonly int _aheadLimit;
    private readonly int _capacity;
    private readonly int _mask;
    private readonly JitterSlot[] _slots;
    private readonly byte[] _payloads;

    // Transit = arrival ticks - frame index * frame ticks: its spread is the jitter.
    private readonly SlidingExtremes _transit;

    // Arrival lead = frame index - pops so far: minus the current (play index - pops), it is the
    // lead that packet would have now; independent of drops and inserts made since.
    private readonly SlidingExtremes _arrivalLead;

    // Everything below is guarded by _lock.
    private JitterState _state;
    private uint _ssrc;
    private uint _previousSsrc;
    private bool _hasPreviousSsrc;
    private long _switchArrival;

    private ushort _highestSequence;
    private long _highestIndex;
    private long _highestArrival;

    // Frame index = _referenceIndex + (timestamp - _referenceTimestamp) / samples per frame.
    private uint _referenceTimestamp;
    private long _referenceIndex;

    private long _playIndex;
    private long _pops;
    private int _targetFrames;
    private long _lastTargetChange;
    private long _lastShrinkDrop;
    private int _emptyRun;

    private long _framesPlayed;
    private long _concealed;
    private long _late;
    private long _duplicates;
    private long _tooLarge;
    private long _driftDrops;
    private long _driftInserts;
    private long _resets;
    private long _realignments;

    /// <param name="options">Frame size, depth bounds, slot capacity; validated here.</param>
    /// <param name="timeProvider">Its timestamp frequency is the unit of arrival times.</param>
    public JitterBuffer(JitterBufferOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();

        _samplesPerFrame = options.SamplesPerFrame;
        _frameDuration = options.FrameDuration;
        _frameTicks = (long)Math.Round(options.FrameDuration.TotalSeconds * timeProvider.TimestampFrequency);
        if (_frameTicks <= 0)
        {
            throw new ArgumentException("The time provider's timestamp frequency is too coarse for the frame duration.", nameof(timeProvider));
        }

        _minFrames = options.MinFrames;
        _maxFrames = options.MaxFrames;
        _shrinkIntervalFrames = options.ShrinkIntervalFrames;
        _idleAfterFrames = Math.Max(10, _maxFrames);
        _stragglerTicks = Math.Max(timeProvider.TimestampFrequency, 2 * _maxFrames * _frameTicks);
        _targetFrames = options.InitialFrames;

        // Half the ring is ahead of the play point (packets up to _aheadLimit frames early),
        // half behind it (played frames kept to recognise duplicates).
        int slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(32, 4 * (_maxFrames + 1)));
        _mask = slots - 1;
        _aheadLimit = slots / 2;
        _capacity = options.SlotPayloadCapacity;
        _slots = new JitterSlot[slots];
        _payloads = new byte[slots * _capacity];
        _transit = new SlidingExtremes(HistoryBuckets, HistoryBucketSize);
        _arrivalLead = new SlidingExtremes(HistoryBuckets, HistoryBucketSize);
    }

    /// <summary>
    /// Depth now: how far ahead of the play point the earliest packets of the recent history
    /// arrive (their wait before playout, rounded up to frames). Zero while not anchored.
    /// </summary>
    public TimeSpan CurrentDepth
    {
        get
        {
            lock (_lock)
            {
                return _state is JitterState.Buffering or JitterState.Playing
                    ? _frameDuration * Math.Max(0, DepthFrames())
                    : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Depth the buffer steers towards: measured jitter rounded up to frames, plus one frame.</summary>
    public TimeSpan TargetDepth
    {
        get
        {
            lock (_lock)
            {
                return _frameDuration * _targetFrames;
            }
        }
    }

    /// <summary>Spread of packet transit times over the recent history (peak-to-peak jitter).</summary>
    public TimeSpan JitterEstimate
    {
        get
        {
            lock (_lock)
            {
                return _transit.IsEmpty
                    ? TimeSpan.Zero
                    : TimeSpan.FromSeconds((double)(_transit.Max - _transit.Min) / _frameTicks * _frameDuration.TotalSeconds);
            }
        }
    }

    /// <summary>Frames handed out by <see cref="Pop"/> as <see cref="PopResult.Frame"/>.</summary>
    public long FramesPlayed => Read(ref _framesPlayed);

    /// <summary>Ticks answered <see cref="PopResult.Missing"/> (losses, late frames, inserted frames).</summary>
    public long ConcealmentCount => Read(ref _concealed);

    /// <summary>Packets refused as <see cref="InsertResult.Late"/>.</summary>
    public long LateCount => Read(ref _late);

    /// <summary>Packets refused as <see cref="InsertResult.Duplicate"/>.</summary>
    public long DuplicateCount => Read(ref _duplicates);

    /// <summary>Packets refused as <see cref="InsertResult.TooLarge"/>.</summary>
    public long TooLargeCount => Read(ref _tooLarge);

    /// <summary>Frames skipped to bring depth down to target (sender clock fast, or target fell).</summary>
    public long DriftDrops => Read(ref _driftDrops);

    /// <summary>Concealment frames inserted to bring depth up to target (sender clock slow, or target rose).</summary>
    public long DriftInserts => Read(ref _driftInserts);

    /// <summary>Times the buffer was flushed and restarted on a new stream (<see cref="InsertResult.Reset"/>).</summary>
    public long ResetCount => Read(ref _resets);

    /// <summary>Timestamp discontinuities with continuous sequence numbers that were realigned in place.</summary>
    public long RealignmentCount => Read(ref _realignments);

    private long Read(ref long counter)
    {
        lock (_lock)
        {
            return counter;
        }
    }
}
