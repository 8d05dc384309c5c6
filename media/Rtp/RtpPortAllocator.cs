namespace CallTracking.Media.Rtp;

/// <summary>
/// Hands out RTP ports (even; RTCP is RTP+1) from a <see cref="RtpPortRange"/>.
/// Allocation is round-robin from the last port handed out, so a port released a
/// moment ago is not handed out again at once: late packets of the old call would
/// otherwise land in the new one. It only books ports; binding sockets is the
/// caller's job. Thread-safe.
/// </summary>
public sealed class RtpPortAllocator
{
    private readonly RtpPortRange _range;

    // Guarded by _lock: _inUse[i] is pair i (RTP port Start + 2i); _cursor is the pair
    // index to try next; _inUseCount is the number of true entries.
    private readonly Lock _lock = new();
    private readonly bool[] _inUse;
    private int _cursor;
    private int _inUseCount;

    private long _exhaustedCount;

    public RtpPortAllocator(RtpPortRange range)
    {
        if (range.PairCount == 0)
        {
            throw new ArgumentException("The range holds no RTP/RTCP pair.", nameof(range));
        }

        _range = range;
        _inUse = new bool[range.PairCount];
    }

    public RtpPortRange Range => _range;

    /// <summary>Number of RTP/RTCP pairs the range holds.</summary>
    public int Capacity => _inUse.Length;

    /// <summary>Number of pairs currently handed out.</summary>
    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _inUseCount;
            }
        }
    }

    /// <summary>How many times <see cref="TryAllocate"/> failed because every pair was in use.</summary>
    public long ExhaustedCount => Interlocked.Read(ref _exhaustedCount);

    /// <summary>Books the next free pair after the last one handed out.</summary>
    /// <returns>false when every pair is in use (counted in <see cref="ExhaustedCount"/>).</returns>
    public bool TryAllocate(out int rtpPort)
    {
        lock (_lock)
        {
            if (_inUseCount == _inUse.Length)
            {
                Interlocked.Increment(ref _exhaustedCount);
                rtpPort = 0;
                return false;
            }

            var index = _cursor;
            while (_inUse[index])
            {
                index = index + 1 == _inUse.Length ? 0 : index + 1;
            }

            _inUse[index] = true;
            _inUseCount++;
            _cursor = index + 1 == _inUse.Length ? 0 : index + 1;
            rtpPort = _range.Start + (2 * index);
            return true;
        }
    }

    /// <summary>Returns a pair booked by <see cref="TryAllocate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is not an RTP port of this range.</exception>
    /// <exception cref="InvalidOperationException">The port is not booked: a double release is a bug in the caller.</exception>
    public void Release(int rtpPort)
    {
        if (!_range.ContainsRtpPort(rtpPort))
        {
            throw new ArgumentOutOfRangeException(nameof(rtpPort), rtpPort, $"Not an RTP port of the range {_range}.");
        }

        var index = (rtpPort - _range.Start) / 2;
        lock (_lock)
        {
            if (!_inUse[index])
            {
                throw new InvalidOperationException($"RTP port {rtpPort} was released but is not allocated.");
            }

            _inUse[index] = false;
            _inUseCount--;
        }
    }
}
