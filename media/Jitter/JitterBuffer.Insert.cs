namespace CallTracking.Media.Jitter;

public sealed partial class JitterBuffer
{
    /// <summary>Buffers one received packet (its payload is copied).</summary>
    /// <param name="arrivalTicks">Arrival time as a <see cref="TimeProvider.GetTimestamp"/> value.</param>
    public InsertResult Insert(ushort sequenceNumber, uint timestamp, uint ssrc, bool marker, ReadOnlySpan<byte> payload, long arrivalTicks)
    {
        lock (_lock)
        {
            if (payload.Length > _capacity)
            {
                _tooLarge++;
                return InsertResult.TooLarge;
            }

            if (_state == JitterState.Empty)
            {
                Start(sequenceNumber, timestamp, ssrc, marker, payload, arrivalTicks);
                return InsertResult.Accepted;
            }

            if (ssrc != _ssrc)
            {
                // Packets of the stream we just left still in flight must not switch us back.
                if (_hasPreviousSsrc && ssrc == _previousSsrc && arrivalTicks - _switchArrival <= _stragglerTicks)
                {
                    _late++;
                    return InsertResult.Late;
                }

                _previousSsrc = _ssrc;
                _hasPreviousSsrc = true;
                _switchArrival = arrivalTicks;
                return Restart(sequenceNumber, timestamp, ssrc, marker, payload, arrivalTicks);
            }

            int sequenceDelta = (short)(ushort)(sequenceNumber - _highestSequence);
            if (sequenceDelta > MaxDropout || sequenceDelta < -MaxMisorder)
            {
                return Restart(sequenceNumber, timestamp, ssrc, marker, payload, arrivalTicks);
            }

            long index = IndexOf(timestamp);
            if (sequenceDelta > 0)
            {
                // Media time should advance at least one frame per sequence number and not run far
                // ahead of real time; otherwise the sender's clock jumped (restart, or DTX with a
                // clock that kept no relation to real time). Realign so playout continues.
                long elapsedFrames = FloorDiv(arrivalTicks - _highestArrival + (_frameTicks / 2), _frameTicks);
                long expected = _highestIndex + Math.Max(sequenceDelta, elapsedFrames);
                if (index <= _highestIndex || index - expected > _aheadLimit)
                {
                    if (sequenceDelta > MaxRealignGap)
                    {
                        return Restart(sequenceNumber, timestamp, ssrc, marker, payload, arrivalTicks);
                    }

                    index = expected;
                    _realignments++;
                }

                _highestSequence = sequenceNumber;
                _highestIndex = index;
                _highestArrival = arrivalTicks;
                _referenceTimestamp = timestamp;
                _referenceIndex = index;
                if (_state == JitterState.Idle)
                {
                    // RFC 3551 §4.1: after silence the marker starts a talkspurt — a free moment to
                    // set the depth exactly to target.
                    Anchor(index);
                }
            }

            ref JitterSlot slot = ref _slots[index & _mask];
            if (slot.Index == index
                && (slot.State == JitterSlotState.Filled
                    || (slot.State == JitterSlotState.Played && slot.SequenceNumber == sequenceNumber)))
            {
                _duplicates++;
                return InsertResult.Duplicate;
            }

            long lead = index - _playIndex;
            if (_state == JitterState.Idle || lead < 0 || lead > _aheadLimit)
            {
                if (_state != JitterState.Idle && lead < 0 && lead >= -_maxFrames)
                {
                    // Late by less than the deepest buffer: jitter we should have covered.
                    Observe(index, arrivalTicks);
                }

                _late++;
                return InsertResult.Late;
            }

            Observe(index, arrivalTicks);
            Store(ref slot, index, sequenceNumber, timestamp, marker, payload);
            return InsertResult.Accepted;
        }
    }

    private void Start(ushort sequenceNumber, uint timestamp, uint ssrc, bool marker, ReadOnlySpan<byte> payload, long arrivalTicks)
    {
        _ssrc = ssrc;
        _highestSequence = sequenceNumber;
        _highestIndex = 0;
        _highestArrival = arrivalTicks;
        _referenceTimestamp = timestamp;
        _referenceIndex = 0;
        Anchor(0);
        Observe(0, arrivalTicks);
        Store(ref _slots[0], 0, sequenceNumber, timestamp, marker, payload);
    }

    private InsertResult Restart(ushort sequenceNumber, uint timestamp, uint ssrc, bool marker, ReadOnlySpan<byte> payload, long arrivalTicks)
    {
        // The target depth is kept: the network path is likely the same. The delay history is
        // not: transit times of a different media clock cannot be compared.
        Array.Clear(_slots);
        _transit.Clear();
        _arrivalLead.Clear();
        _resets++;
        Start(sequenceNumber, timestamp, ssrc, marker, payload, arrivalTicks);
        return InsertResult.Reset;
    }

    /// <summary>Plays <paramref name="index"/> once the target depth has elapsed.</summary>
    private void Anchor(long index)
    {
        _playIndex = index - _targetFrames + 1;
        _state = JitterState.Buffering;
        _emptyRun = 0;
    }

    private void Observe(long index, long arrivalTicks)
    {
        _transit.Add(arrivalTicks - (index * _frameTicks));
        _arrivalLead.Add(index - _pops);

        // Grow at once: a packet that needs more depth is followed by others like it.
        int raw = RawTargetFrames();
        if (raw > _targetFrames)
        {
            _targetFrames = raw;
            _lastTargetChange = _pops;
        }
    }

    private void Store(ref JitterSlot slot, long index, ushort sequenceNumber, uint timestamp, bool marker, ReadOnlySpan<byte> payload)
    {
        payload.CopyTo(_payloads.AsSpan((int)(index & _mask) * _capacity, _capacity));
        slot.Index = index;
        slot.State = JitterSlotState.Filled;
        slot.SequenceNumber = sequenceNumber;
        slot.Timestamp = timestamp;
        slot.Marker = marker;
        slot.Length = payload.Length;
    }

    private long IndexOf(uint timestamp)
    {
        // Signed 32-bit difference: RTP timestamps wrap at 2^32 (RFC 3550 §5.1).
        long delta = (int)(timestamp - _referenceTimestamp);
        return _referenceIndex + FloorDiv(delta + (_samplesPerFrame / 2), _samplesPerFrame);
    }

    private int RawTargetFrames()
    {
        if (_transit.IsEmpty)
        {
            return _targetFrames;
        }

        long spread = _transit.Max - _transit.Min;
        long frames = ((spread + _frameTicks - 1) / _frameTicks) + 1;
        return (int)Math.Clamp(frames, _minFrames, _maxFrames);
    }

    private static long FloorDiv(long value, long divisor)
    {
        long quotient = value / divisor;
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
    }
}
