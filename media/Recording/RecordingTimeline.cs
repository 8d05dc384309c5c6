using CallTracking.Media.Codecs;

namespace CallTracking.Media.Recording;

/// <summary>
/// The recording's timeline of one call leg: places what the peer sent by its RTP timestamps (the sender's media
/// clock), not by when the jitter buffer played it, and what we sent by our own send clock, then hands both to an
/// <see cref="IRecordingSink"/> a fixed <see cref="HoldFrames"/> later. A stream with perfect timestamps is recorded
/// sample-exact however its packets arrive (bursts, gaps, reordering, an engine stall that the worker catches up);
/// playout for live listening (the bridge) keeps its adaptive jitter buffer.
/// </summary>
/// <remarks>
/// <para>
/// Clock and alignment. Recording position = frame index = the number of worker ticks since the recording started
/// (<see cref="Tick"/> once per tick; after a stall the worker catches the ticks up, so positions stay in step with
/// the call's wall time). The right channel (what we sent) is placed at the tick it was sent in: our send timestamps
/// advance 160 every tick, so that is our send clock. The left channel is placed at
/// <c>extended RTP timestamp + offset</c>; the offset is fixed when a stream starts so that its first packet lands at
/// the tick it arrived in. Both channels therefore share the worker's clock: a caller's words sit where they reached
/// us (network delay only, no jitter-buffer depth), a prompt where it left us; the reference is the first packet's
/// arrival, so they relate within that packet's jitter plus one tick (20 ms) — the sender's clock holds everything
/// after it in place.
/// </para>
/// <para>
/// Hold. Frame <c>n</c> is committed (handed to the sink, then its slot reused) at tick <c>n + HoldFrames</c>; a
/// packet arriving later than that is dropped for the recording and counted (<see cref="LatePackets"/>), a packet's
/// part that is still open is written. A frame nobody filled is concealed like playout does (the last frame at half
/// level once, then silence). Packets may arrive up to <c>CapacityFrames - HoldFrames</c> early (the burst a caught-up
/// stall delivers).
/// </para>
/// <para>
/// Streams. 32-bit timestamps are extended to 64 bits (signed difference to the newest). A new SSRC starts a new
/// segment at the current position (or where the previous one's audio ended, if later); stragglers of the previous
/// SSRC still use its mapping. A newest packet (timestamp beyond all seen) that does not fit the ring or is wholly
/// too late to record is a discontinuity (a clock jump, a clock frozen over hold or DTX, a network outage longer than
/// the hold): the stream continues at the current position. Older packets that late are just dropped. Every
/// <see cref="WindowFrames"/> ticks the leads (position − arrival) of the newest packets seen decide: all more than
/// <see cref="MaxSteadyLeadFrames"/> early — re-anchor (a forward clock jump within the ring, or a stall longer than
/// the worker catches up); the earliest close to the hold, or early by more than two frames — slew the offset by
/// <see cref="SlewSamples"/> (sender clock drift, 400 ppm at most; a 2 ms step).
/// </para>
/// <para>Pause and resume are recorded per frame (the tick they were asked in) and applied when that frame is
/// committed, so a PCI span covers exactly the audio of its time. Allocates nothing after construction. Not
/// thread-safe: the media worker that owns the call drives it.</para>
/// </remarks>
public sealed class RecordingTimeline
{
    /// <summary>300 ms: above the jitter buffer's 200 ms maximum depth.</summary>
    public const int DefaultHoldFrames = 15;

    /// <summary>2.56 s: the hold plus the two seconds of ticks a stalled worker catches up.</summary>
    public const int DefaultCapacityFrames = 128;

    /// <summary>Ticks over which packet leads are judged: 5 s, longer than any catch-up burst.</summary>
    public const int WindowFrames = 250;

    /// <summary>One slew step: 2 ms per window at most.</summary>
    public const int SlewSamples = 16;

    /// <summary>Every packet of a window this early (200 ms) means the mapping is wrong, not drifting.</summary>
    public const int MaxSteadyLeadFrames = 10;

    private const int FrameSamples = CallRecorder.FrameSamples;

    private readonly IRecordingSink _sink;
    private readonly int _hold;
    private readonly int _capacity;
    private readonly long _capacitySamples;
    private readonly int _mask;
    private readonly int _rightMask;
    private readonly short[] _left;
    private readonly bool[] _leftFilled;
    private readonly short[] _right;
    private readonly bool[] _paused;
    private readonly short[] _lastLeft = new short[FrameSamples];

    private long _frames;
    private long _committed;
    private long _writtenEnd;

    private bool _hasStream;
    private uint _ssrc;
    private uint _newestTimestamp;
    private long _newestExtended;
    private long _offset;

    private bool _hasPrevious;
    private uint _previousSsrc;
    private uint _previousNewestTimestamp;
    private long _previousNewestExtended;
    private long _previousOffset;

    private int _windowTicks;
    private int _windowPackets;
    private long _windowMinLead;

    private bool _hasLastLeft;
    private int _missingRun;

    /// <param name="sink">Takes the committed frames.</param>
    /// <param name="holdFrames">How long a frame stays open for late packets (20 ms frames).</param>
    /// <param name="capacityFrames">Frames the ring holds: the hold plus how early packets may arrive.</param>
    public RecordingTimeline(IRecordingSink sink, int holdFrames = DefaultHoldFrames, int capacityFrames = DefaultCapacityFrames)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfLessThan(holdFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityFrames, 2 * (holdFrames + 1));
        _sink = sink;
        _hold = holdFrames;
        _capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacityFrames);
        _mask = _capacity - 1;
        _capacitySamples = (long)_capacity * FrameSamples;
        _left = new short[_capacity * FrameSamples];
        _leftFilled = new bool[_capacity];
        int right = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(holdFrames + 1));
        _rightMask = right - 1;
        _right = new short[right * FrameSamples];
        _paused = new bool[right];
        ResetWindow();
    }

    public int HoldFrames => _hold;

    /// <summary>Frames (ticks) the timeline has been given so far.</summary>
    public long Frames => _frames;

    /// <summary>Frames handed to the sink so far.</summary>
    public long CommittedFrames => _committed;

    /// <summary>Packets (or their parts) that arrived after their frames were committed, and were left out.</summary>
    public long LatePackets { get; private set; }

    /// <summary>Times a stream was re-anchored at the current position (new SSRC not counted).</summary>
    public long Discontinuities { get; private set; }

    /// <summary>Slew steps taken to follow the sender's clock.</summary>
    public long Slews { get; private set; }

    /// <summary>Committed frames that no packet filled while the stream ran (concealed or silent).</summary>
    public long MissingFrames { get; private set; }

    /// <summary>Places one received G.711 packet (one byte per sample) by its timestamp; call from the tick it arrived in.</summary>
    public void Receive(AudioCodec codec, uint ssrc, uint timestamp, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || payload.Length > (_capacity - _hold) * FrameSamples)
        {
            return;
        }

        long arrival = _frames * FrameSamples;
        long position;
        if (!_hasStream)
        {
            StartStream(ssrc, timestamp, arrival);
            position = arrival;
        }
        else if (ssrc == _ssrc)
        {
            long extended = _newestExtended + (int)(timestamp - _newestTimestamp);
            position = extended + _offset;
            if (extended > _newestExtended)
            {
                _newestExtended = extended;
                _newestTimestamp = timestamp;
                long committedStart = _committed * FrameSamples;
                if (position + payload.Length > committedStart + _capacitySamples || position + payload.Length <= committedStart)
                {
                    // The newest audio does not fit: the sender's clock jumped (or stood still over a hold or DTX),
                    // the network held everything back longer than the hold, or the worker lost more time than it
                    // catches up. Continue here rather than lose what follows.
                    _offset = arrival - extended;
                    position = arrival;
                    Discontinuities++;
                }

                long lead = position - arrival;
                _windowMinLead = Math.Min(_windowMinLead, lead);
                _windowPackets++;
            }
        }
        else if (_hasPrevious && ssrc == _previousSsrc)
        {
            // A straggler of the stream we just left: it still belongs where its own clock puts it.
            long extended = _previousNewestExtended + (int)(timestamp - _previousNewestTimestamp);
            position = extended + _previousOffset;
        }
        else
        {
            _hasPrevious = true;
            _previousSsrc = _ssrc;
            _previousNewestTimestamp = _newestTimestamp;
            _previousNewestExtended = _newestExtended;
            _previousOffset = _offset;
            position = Math.Max(arrival, _writtenEnd);
            StartStream(ssrc, timestamp, position);
        }

        Place(codec, position, payload);
    }

    /// <summary>
    /// Ends the current 20 ms frame: <paramref name="sentPcm"/> is what we sent in it (empty: nothing), and
    /// <paramref name="paused"/> whether it falls in a PCI pause. Commits the frame <see cref="HoldFrames"/> back.
    /// </summary>
    public void Tick(ReadOnlySpan<short> sentPcm, bool paused)
    {
        if (sentPcm.Length is not (0 or FrameSamples))
        {
            throw new ArgumentException($"A frame is {FrameSamples} samples or empty, not {sentPcm.Length}.", nameof(sentPcm));
        }

        int slot = (int)(_frames & _rightMask);
        var right = _right.AsSpan(slot * FrameSamples, FrameSamples);
        if (sentPcm.IsEmpty)
        {
            right.Clear();
        }
        else
        {
            sentPcm.CopyTo(right);
        }

        _paused[slot] = paused;
        _frames++;
        while (_committed < _frames - _hold)
        {
            Commit();
        }

        if (++_windowTicks >= WindowFrames)
        {
            Judge();
        }
    }

    /// <summary>Commits every frame still held (the call ended): the sink then holds <see cref="Frames"/> frames.</summary>
    public void Flush()
    {
        while (_committed < _frames)
        {
            Commit();
        }
    }

    private void StartStream(uint ssrc, uint timestamp, long position)
    {
        _hasStream = true;
        _ssrc = ssrc;
        _newestTimestamp = timestamp;
        _newestExtended = 0;
        _offset = position;
        ResetWindow();
    }

    private void Place(AudioCodec codec, long position, ReadOnlySpan<byte> payload)
    {
        long committedStart = _committed * FrameSamples;
        long end = position + payload.Length;
        long start = Math.Max(position, committedStart);
        if (end <= start || end > committedStart + _capacitySamples)
        {
            LatePackets++;
            return;
        }

        if (start > position)
        {
            LatePackets++;
            payload = payload[(int)(start - position)..];
        }

        for (long frame = start / FrameSamples; frame <= (end - 1) / FrameSamples; frame++)
        {
            _leftFilled[(int)(frame & _mask)] = true;
        }

        int index = (int)(start % _capacitySamples);
        int first = Math.Min(payload.Length, _left.Length - index);
        Decode(codec, payload[..first], _left.AsSpan(index, first));
        if (first < payload.Length)
        {
            Decode(codec, payload[first..], _left.AsSpan(0, payload.Length - first));
        }

        _writtenEnd = Math.Max(_writtenEnd, end);
    }

    private static void Decode(AudioCodec codec, ReadOnlySpan<byte> encoded, Span<short> pcm)
    {
        if (codec == AudioCodec.Pcma)
        {
            G711.ALawDecode(encoded, pcm);
        }
        else
        {
            G711.MuLawDecode(encoded, pcm);
        }
    }

    private void Commit()
    {
        int slot = (int)(_committed & _mask);
        var left = _left.AsSpan(slot * FrameSamples, FrameSamples);
        if (_leftFilled[slot])
        {
            left.CopyTo(_lastLeft);
            _hasLastLeft = true;
            _missingRun = 0;
        }
        else if (_hasLastLeft && _committed * FrameSamples < _writtenEnd)
        {
            // Inside the stream: G.711 concealment like playout's, the last frame at half level once, then silence.
            MissingFrames++;
            if (_missingRun++ == 0)
            {
                for (int i = 0; i < FrameSamples; i++)
                {
                    left[i] = (short)(_lastLeft[i] / 2);
                }
            }
        }

        int rightSlot = (int)(_committed & _rightMask);
        bool paused = _paused[rightSlot];
        if (paused != _sink.IsPaused)
        {
            if (paused)
            {
                _sink.Pause();
            }
            else
            {
                _sink.Resume();
            }
        }

        _sink.WriteFrame(left, _right.AsSpan(rightSlot * FrameSamples, FrameSamples));
        left.Clear();
        _leftFilled[slot] = false;
        _committed++;
    }

    private void Judge()
    {
        if (_windowPackets > 0)
        {
            long hold = (long)_hold * FrameSamples;
            if (_windowMinLead > MaxSteadyLeadFrames * FrameSamples)
            {
                // Every packet of five seconds far too early: the mapping is off, not drifting.
                _offset -= _windowMinLead;
                Discontinuities++;
            }
            else if (_windowMinLead < -(hold - (2 * FrameSamples)))
            {
                _offset += SlewSamples;
                Slews++;
            }
            else if (_windowMinLead > 2 * FrameSamples)
            {
                _offset -= SlewSamples;
                Slews++;
            }
        }

        ResetWindow();
    }

    private void ResetWindow()
    {
        _windowTicks = 0;
        _windowPackets = 0;
        _windowMinLead = long.MaxValue;
    }
}
