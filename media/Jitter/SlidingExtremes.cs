namespace CallTracking.Media.Jitter;

/// <summary>
/// Minimum and maximum of the last samples added (between <c>buckets - 1</c> and
/// <c>buckets</c> times <c>bucketSize</c> of them), in O(1) per sample and O(buckets) per
/// query, without allocating. Not thread-safe: its owner serialises access.
/// </summary>
internal sealed class SlidingExtremes
{
    private readonly long[] _min;
    private readonly long[] _max;
    private readonly int _bucketSize;
    private int _current;
    private int _countInCurrent;
    private int _usedBuckets;

    public SlidingExtremes(int buckets, int bucketSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketSize, 1);
        _min = new long[buckets];
        _max = new long[buckets];
        _bucketSize = bucketSize;
    }

    public bool IsEmpty => _usedBuckets == 0;

    public void Add(long value)
    {
        if (_countInCurrent == _bucketSize)
        {
            _current = _current + 1 == _min.Length ? 0 : _current + 1;
            _countInCurrent = 0;
        }

        if (_countInCurrent == 0)
        {
            _min[_current] = value;
            _max[_current] = value;
            if (_usedBuckets < _min.Length)
            {
                _usedBuckets++;
            }
        }
        else
        {
            _min[_current] = Math.Min(_min[_current], value);
            _max[_current] = Math.Max(_max[_current], value);
        }

        _countInCurrent++;
    }

    /// <summary>Largest sample in the window; undefined when <see cref="IsEmpty"/>.</summary>
    public long Max
    {
        get
        {
            // Buckets fill from index 0, so the used ones are always 0 .. _usedBuckets - 1.
            long max = long.MinValue;
            for (int i = 0; i < _usedBuckets; i++)
            {
                max = Math.Max(max, _max[i]);
            }

            return max;
        }
    }

    /// <summary>Smallest sample in the window; undefined when <see cref="IsEmpty"/>.</summary>
    public long Min
    {
        get
        {
            long min = long.MaxValue;
            for (int i = 0; i < _usedBuckets; i++)
            {
                min = Math.Min(min, _min[i]);
            }

            return min;
        }
    }

    public void Clear()
    {
        _current = 0;
        _countInCurrent = 0;
        _usedBuckets = 0;
    }
}
