namespace CallTracking.Media.Codecs;

/// <summary>
/// The packets of one key press from <see cref="DtmfSender"/>; enumerate it with
/// <c>foreach</c> (it is its own enumerator, a struct, so nothing is allocated).
/// </summary>
public struct DtmfPacketSequence
{
    private readonly byte _event;
    private readonly byte _volume;
    private readonly uint _startTimestamp;
    private readonly long _total;
    private readonly long _interval;

    private long _next;          // elapsed units of the next update
    private long _segmentStart;  // elapsed units where the current segment began
    private int _endsSent;
    private bool _first;
    private DtmfPacket _current;

    internal DtmfPacketSequence(byte @event, byte volume, uint startTimestamp, long total, long interval)
    {
        _event = @event;
        _volume = volume;
        _startTimestamp = startTimestamp;
        _total = total;
        _interval = interval;
        _next = 0;
        _segmentStart = 0;
        _endsSent = 0;
        _first = true;
        _current = default;
    }

    public readonly DtmfPacket Current => _current;

    public readonly DtmfPacketSequence GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_endsSent == DtmfSender.EndPacketCount)
        {
            return false;
        }

        var elapsed = Math.Min(_next, _total);

        // RFC 4733 §2.5.1.3: close a full segment with duration 0xFFFF (no E bit)
        // and continue in a new one whose timestamp is advanced by 0xFFFF.
        if (elapsed - _segmentStart > TelephoneEvent.MaxDuration)
        {
            _current = Packet(end: false, TelephoneEvent.MaxDuration, _segmentStart + TelephoneEvent.MaxDuration);
            _segmentStart += TelephoneEvent.MaxDuration;
            return true;
        }

        var end = _next >= _total;
        _current = Packet(end, (ushort)(elapsed - _segmentStart), elapsed);
        if (end)
        {
            _endsSent++;
        }
        else
        {
            _next += _interval;
        }

        return true;
    }

    private DtmfPacket Packet(bool end, ushort duration, long sendAt)
    {
        var marker = _first;
        _first = false;
        return new DtmfPacket(
            marker,
            unchecked(_startTimestamp + (uint)_segmentStart),
            new TelephoneEvent(_event, end, _volume, duration),
            sendAt);
    }
}
