using System.Diagnostics.CodeAnalysis;

namespace CallTracking.Media.Jitter;

public sealed partial class JitterBuffer
{
    /// <summary>Hands out what plays during this tick; call exactly once per frame duration.</summary>
    /// <param name="payloadDestination">Receives the frame's payload; must hold the largest payload inserted.</param>
    /// <param name="length">Bytes written (zero unless <see cref="PopResult.Frame"/>).</param>
    /// <param name="info">The frame's RTP fields; for Missing, the timestamp it would have had.</param>
    public PopResult Pop(Span<byte> payloadDestination, out int length, out FrameInfo info)
    {
        lock (_lock)
        {
            length = 0;
            info = default;
            switch (_state)
            {
                case JitterState.Empty:
                case JitterState.Idle:
                    _pops++;
                    return PopResult.Buffering;
                case JitterState.Buffering:
                    if (!IsPresent(_playIndex))
                    {
                        _playIndex++;
                        _pops++;
                        return PopResult.Buffering;
                    }

                    _state = JitterState.Playing;
                    break;
            }

            return Play(payloadDestination, out length, out info);
        }
    }

    private PopResult Play(Span<byte> destination, out int length, out FrameInfo info)
    {
        length = 0;
        DecayTarget();
        long depth = DepthFrames();
        if (depth < _targetFrames)
        {
            // Grow: hold the play point for one tick.
            _driftInserts++;
            return Conceal(advance: false, out info);
        }

        bool present = IsPresent(_playIndex);
        if (!present && depth > _targetFrames)
        {
            // Shrink at a quiet moment: the frame due now is lost or silence; skip it.
            _driftDrops++;
            _playIndex++;
            present = IsPresent(_playIndex);
        }
        else if (present
            && (depth > _targetFrames + 1 || depth > _maxFrames)
            && _pops - _lastShrinkDrop >= _shrinkIntervalFrames)
        {
            // Shrink by dropping a received frame: audible, so only with a frame of hysteresis
            // and at most once per shrink interval.
            _slots[_playIndex & _mask].State = JitterSlotState.Played;
            _driftDrops++;
            _lastShrinkDrop = _pops;
            _playIndex++;
            present = IsPresent(_playIndex);
        }

        if (!present)
        {
            return Conceal(advance: true, out info);
        }

        ref JitterSlot slot = ref _slots[_playIndex & _mask];
        if (destination.Length < slot.Length)
        {
            ThrowDestinationTooSmall(slot.Length);
        }

        _payloads.AsSpan((int)(_playIndex & _mask) * _capacity, slot.Length).CopyTo(destination);
        length = slot.Length;
        info = new FrameInfo(slot.SequenceNumber, slot.Timestamp, _ssrc, slot.Marker);
        slot.State = JitterSlotState.Played;
        _playIndex++;
        _pops++;
        _framesPlayed++;
        _emptyRun = 0;
        return PopResult.Frame;
    }

    private PopResult Conceal(bool advance, out FrameInfo info)
    {
        uint timestamp = _referenceTimestamp + (uint)((_playIndex - _referenceIndex) * _samplesPerFrame);
        info = new FrameInfo(0, timestamp, _ssrc, false);
        _concealed++;
        _pops++;
        if (advance)
        {
            _playIndex++;
        }

        // Nothing received beyond the play point for a while: the sender went quiet (hold, DTX).
        // Stop concealing; the next packet re-anchors playout at the target depth.
        if (_highestIndex < _playIndex)
        {
            if (++_emptyRun >= _idleAfterFrames)
            {
                _state = JitterState.Idle;
            }
        }
        else
        {
            _emptyRun = 0;
        }

        return PopResult.Missing;
    }

    private void DecayTarget()
    {
        if (_pops - _lastTargetChange >= _shrinkIntervalFrames && RawTargetFrames() < _targetFrames)
        {
            _targetFrames--;
            _lastTargetChange = _pops;
        }
    }

    /// <summary>Lead, in frames, the earliest recent packets have over the play point (see field notes).</summary>
    private long DepthFrames() =>
        _arrivalLead.IsEmpty ? _targetFrames : _arrivalLead.Max - (_playIndex - _pops) + 1;

    private bool IsPresent(long index)
    {
        ref JitterSlot slot = ref _slots[index & _mask];
        return slot.State == JitterSlotState.Filled && slot.Index == index;
    }

    [DoesNotReturn]
    private static void ThrowDestinationTooSmall(int needed) =>
        throw new ArgumentException($"The destination holds fewer than the frame's {needed} bytes.", "payloadDestination");
}
