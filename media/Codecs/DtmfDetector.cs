namespace CallTracking.Media.Codecs;

/// <summary>
/// Turns the RFC 4733 telephone-event packets of one RTP stream into exactly one
/// <see cref="DtmfEvent"/> per key press. One instance per stream, used by one
/// thread (the media worker that owns the stream); nothing is allocated per packet.
/// </summary>
/// <remarks>
/// <para>An event is identified by its RTP timestamp: every packet of an event (or of
/// one segment of a long event) carries the timestamp of its start (RFC 4733
/// §2.5.1.1), and the duration field grows. So duplicates, reordering and the
/// three redundant end packets (§2.5.1.4) collapse onto the same timestamp.</para>
/// <para>The event is reported when its first end packet arrives; if every end
/// packet is lost, when a packet with a newer timestamp starts another event, or
/// when <see cref="TryFlush"/> is told that <see cref="EndTimeout"/> has passed
/// since the last known instant of the event.</para>
/// <para>Long events (§2.5.1.3): when the duration would pass 0xFFFF the sender
/// starts a new segment with the timestamp advanced by the previous segment's
/// duration, same event code and no marker. Such a continuation is folded into
/// the running event, which is reported once with the summed duration.</para>
/// <para>Event codes above 15 (not DTMF) are ignored.</para>
/// </remarks>
public sealed class DtmfDetector
{
    /// <summary>Default <see cref="EndTimeout"/>: five 50 ms update intervals.</summary>
    public static readonly TimeSpan DefaultEndTimeout = TimeSpan.FromMilliseconds(250);

    private readonly int _clockRate;
    private readonly uint _endTimeoutUnits;

    // State of the event being received (valid while _active).
    private bool _active;
    private bool _endSeen;
    private byte _event;
    private uint _startTimestamp;
    private uint _segmentTimestamp;
    private ushort _segmentDuration;
    private long _completedSegments; // units in segments before the current one

    // Last segment timestamp of the most recently reported event: anything at or
    // before it is a late duplicate or a retransmitted end packet, unless its marker
    // bit starts a new event (see IsLate).
    private bool _hasReported;
    private uint _reportedSegmentTimestamp;

    public DtmfDetector(int clockRate = 8000, TimeSpan? endTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        var timeout = endTimeout ?? DefaultEndTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(endTimeout));
        _clockRate = clockRate;
        _endTimeoutUnits = (uint)Math.Min(uint.MaxValue / 2, Math.Ceiling(timeout.TotalSeconds * clockRate));
        EndTimeout = timeout;
    }

    /// <summary>RTP clock rate of the telephone-event payload type (the SDP rate, 8000 unless negotiated).</summary>
    public int ClockRate => _clockRate;

    /// <summary>How long after an event's last known instant <see cref="TryFlush"/> closes it without an end packet.</summary>
    public TimeSpan EndTimeout { get; }

    /// <summary>True while an event has started and not yet been reported.</summary>
    public bool InProgress => _active;

    /// <summary>Feeds one telephone-event packet.</summary>
    /// <param name="rtpTimestamp">The packet's RTP timestamp.</param>
    /// <param name="marker">The packet's RTP marker bit (set on the first packet of an event).</param>
    /// <param name="telephoneEvent">The parsed payload.</param>
    /// <param name="detected">The completed key press when this returns true.</param>
    public bool TryAccept(uint rtpTimestamp, bool marker, in TelephoneEvent telephoneEvent, out DtmfEvent detected)
    {
        if (telephoneEvent.Event > DtmfDigit.MaxEvent || IsLate(rtpTimestamp, marker))
        {
            detected = default;
            return false;
        }

        if (!_active)
        {
            Start(rtpTimestamp, telephoneEvent);
            return TryReportEnded(out detected);
        }

        if (rtpTimestamp == _segmentTimestamp)
        {
            // Same segment: an update, a duplicate, or a reordered older update.
            if (telephoneEvent.Event == _event)
            {
                _segmentDuration = Math.Max(_segmentDuration, telephoneEvent.Duration);
                _endSeen |= telephoneEvent.End;
            }

            return TryReportEnded(out detected);
        }

        if (!marker && !IsAfter(rtpTimestamp, _segmentTimestamp))
        {
            // Late packet of an earlier segment of this long event.
            detected = default;
            return false;
        }

        var advance = rtpTimestamp - _segmentTimestamp;
        if (!marker && !_endSeen && telephoneEvent.Event == _event
            && (advance == TelephoneEvent.MaxDuration || advance == _segmentDuration))
        {
            // RFC 4733 §2.5.1.3: the next segment of the same long event.
            _completedSegments += advance;
            _segmentTimestamp = rtpTimestamp;
            _segmentDuration = telephoneEvent.Duration;
            _endSeen = telephoneEvent.End;
            return TryReportEnded(out detected);
        }

        // A newer event: the running one lost its end packets. Report it now; the
        // new one starts, and if this packet already ended it, its redundant end
        // packets (or TryFlush) report it.
        detected = Complete(endLost: !_endSeen);
        Start(rtpTimestamp, telephoneEvent);
        return true;
    }

    /// <summary>
    /// Closes the running event if its end packet was seen but not yet reported, or
    /// if <paramref name="currentRtpTimestamp"/> (the stream's clock now, e.g. the
    /// latest audio timestamp) is <see cref="EndTimeout"/> past its last known instant.
    /// </summary>
    public bool TryFlush(uint currentRtpTimestamp, out DtmfEvent detected)
    {
        if (_active
            && (_endSeen || IsAtOrAfter(currentRtpTimestamp, _segmentTimestamp + _segmentDuration + _endTimeoutUnits)))
        {
            detected = Complete(endLost: !_endSeen);
            return true;
        }

        detected = default;
        return false;
    }

    /// <summary>Forgets everything, e.g. when the stream's SSRC changes.</summary>
    public void Reset()
    {
        _active = false;
        _endSeen = false;
        _hasReported = false;
    }

    /// <summary>
    /// A retransmitted or late packet of the event last reported (its timestamp), or of anything before it. A packet
    /// with the marker bit and another timestamp starts a new event even when its timestamp is older: the sender's
    /// clock went back (a gateway that times events on its own clock, a media server switched without a new SSRC,
    /// sipp playing one capture per digit), and dropping it would lose every key press until the clock catches up.
    /// </summary>
    private bool IsLate(uint rtpTimestamp, bool marker)
    {
        if (!_hasReported)
        {
            return false;
        }

        if (rtpTimestamp == _reportedSegmentTimestamp)
        {
            return true;
        }

        if (marker || IsAfter(rtpTimestamp, _reportedSegmentTimestamp))
        {
            return false;
        }

        // Older than the last report and no marker: late, unless it belongs to the event running now (which started
        // with a marker at an older timestamp).
        return !(_active && IsAtOrAfter(rtpTimestamp, _segmentTimestamp));
    }

    private void Start(uint rtpTimestamp, in TelephoneEvent telephoneEvent)
    {
        _active = true;
        _event = telephoneEvent.Event;
        _endSeen = telephoneEvent.End;
        _startTimestamp = rtpTimestamp;
        _segmentTimestamp = rtpTimestamp;
        _segmentDuration = telephoneEvent.Duration;
        _completedSegments = 0;
    }

    private bool TryReportEnded(out DtmfEvent detected)
    {
        if (_endSeen)
        {
            detected = Complete(endLost: false);
            return true;
        }

        detected = default;
        return false;
    }

    private DtmfEvent Complete(bool endLost)
    {
        var units = _completedSegments + _segmentDuration;
        _active = false;
        _hasReported = true;
        _reportedSegmentTimestamp = _segmentTimestamp;
        return new DtmfEvent(
            DtmfDigit.FromEvent(_event),
            _startTimestamp,
            TimeSpan.FromTicks(units * TimeSpan.TicksPerSecond / _clockRate))
        {
            DurationUnits = units,
            EndLost = endLost,
        };
    }

    // RFC 3550 timestamps wrap: compare by serial-number arithmetic.
    private static bool IsAfter(uint a, uint b) => (int)(a - b) > 0;

    private static bool IsAtOrAfter(uint a, uint b) => (int)(a - b) >= 0;
}
