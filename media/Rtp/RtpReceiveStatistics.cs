using CallTracking.Media.Rtp.Rtcp;

namespace CallTracking.Media.Rtp;

/// <summary>
/// Receive statistics for one RTP source: RFC 3550 A.1 sequence validation, A.3 loss and A.8
/// interarrival jitter, plus duplicate, reorder and late counts. Feeding a packet allocates nothing.
/// Not thread-safe: one media worker owns the stream and everything it calls here.
/// </summary>
public sealed class RtpReceiveStatistics
{
    /// <summary>Packets in sequence needed before a new source is believed (RFC 3550 A.1).</summary>
    public const int MinSequential = 2;

    /// <summary>Largest forward jump still taken as loss rather than a restart (RFC 3550 A.1, 3000 at 50 packets/s is a minute).</summary>
    public const int MaxDropout = 3000;

    /// <summary>Largest backward step still taken as reordering (RFC 3550 A.1).</summary>
    public const int MaxMisorder = 100;

    private const int SequenceModulo = 1 << 16;

    // RFC 3550 A.1 source state, named as there.
    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private uint _badSeq;
    private int _probation;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private bool _seen;

    // Bit i set: extended sequence number (highest - i) has been received. Covers MAX_MISORDER.
    private UInt128 _window;

    // RFC 3550 A.8, in timestamp units; a double keeps the 1/16 gain exact.
    private double _jitter;
    private long _lastTransit;
    private bool _hasTransit;
    private int _clockRate;

    private uint _lastSenderReport;
    private TimeSpan _lastSenderReportArrival;
    private bool _hasSenderReport;

    private long _packets;
    private long _bytes;
    private long _duplicates;
    private long _duplicatesSinceInit;
    private long _reordered;
    private long _late;
    private long _restarts;
    private long _expectedBeforeRestarts;
    private long _lostBeforeRestarts;

    public RtpReceiveStatistics(uint ssrc)
    {
        Ssrc = ssrc;
    }

    public uint Ssrc { get; private set; }

    /// <summary>The source has passed probation (RFC 3550 A.1): its packets count.</summary>
    public bool IsValid => _seen && _probation == 0;

    /// <summary>Sequence-number cycles in the high 16 bits, highest sequence number in the low 16.</summary>
    public uint ExtendedHighestSequenceNumber => _cycles + _maxSeq;

    /// <summary>Packets expected since the sequence (re)started: extended highest − base + 1 (RFC 3550 A.3).</summary>
    public long Expected => IsValid ? (long)ExtendedHighestSequenceNumber - _baseSeq + 1 : 0;

    /// <summary>Packets counted since the sequence (re)started, duplicates included, as RFC 3550 A.1 counts them.</summary>
    public long Received => _received;

    /// <summary>Expected − received (RFC 3550 A.3): negative when duplicates outnumber losses.</summary>
    public long CumulativeLost => Expected - _received;

    /// <summary>Interarrival jitter in RTP timestamp units, as a report block carries it.</summary>
    public uint Jitter => (uint)_jitter;

    public TimeSpan JitterTime => _clockRate > 0 ? TimeSpan.FromSeconds(_jitter / _clockRate) : TimeSpan.Zero;

    public long Packets => _packets;

    public long Bytes => _bytes;

    public long Duplicates => _duplicates;

    public long Reordered => _reordered;

    public long Late => _late;

    /// <summary>Times a jump beyond MAX_DROPOUT was confirmed and the sequence started over.</summary>
    public long Restarts => _restarts;

    /// <summary>Accounts one packet of this source.</summary>
    /// <param name="payloadLength">Payload octets, for the byte count.</param>
    /// <param name="clockRate">The payload format's RTP clock rate (8000 for G.711), for jitter.</param>
    /// <param name="arrival">Arrival on a monotonic clock (e.g. <see cref="TimeProvider.GetElapsedTime(long)"/> since a fixed start).</param>
    public RtpSequenceStatus Receive(ushort sequenceNumber, uint rtpTimestamp, int payloadLength, int clockRate, TimeSpan arrival)
    {
        if (clockRate <= 0)
        {
            ThrowHelpers.ThrowArgument(nameof(clockRate), "The clock rate must be positive.");
        }

        _packets++;
        _bytes += payloadLength;
        if (!_seen)
        {
            // RFC 3550 A.1: a new source starts on probation.
            _seen = true;
            InitSequence(sequenceNumber);
            _maxSeq = (ushort)(sequenceNumber - 1);
            _probation = MinSequential;
        }

        RtpSequenceStatus status = UpdateSequence(sequenceNumber);
        if (status is RtpSequenceStatus.Valid or RtpSequenceStatus.Reordered)
        {
            UpdateJitter(rtpTimestamp, clockRate, arrival);
        }

        return status;
    }

    /// <summary>The jitter buffer had already played past this packet's slot when it arrived.</summary>
    public void MarkLate() => _late++;

    /// <summary>Remembers the source's last SR, for the LSR and DLSR of our next report block (RFC 3550 §6.4.1).</summary>
    public void ReceiveSenderReport(NtpTimestamp ntpTimestamp, TimeSpan arrival)
    {
        _lastSenderReport = ntpTimestamp.Middle32;
        _lastSenderReportArrival = arrival;
        _hasSenderReport = true;
    }

    /// <summary>
    /// The report block for our next SR or RR. Starts a new reporting interval: the fraction lost
    /// is over the packets since the previous call (RFC 3550 A.3).
    /// </summary>
    /// <param name="now">The same monotonic clock as the arrivals, for DLSR.</param>
    public ReportBlock CreateReportBlock(TimeSpan now)
    {
        long expected = Expected;
        long expectedInterval = expected - _expectedPrior;
        long receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        long lostInterval = expectedInterval - receivedInterval;
        byte fractionLost = expectedInterval == 0 || lostInterval <= 0
            ? (byte)0
            : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);

        long cumulativeLost = Math.Clamp(CumulativeLost, ReportBlock.MinCumulativeLost, ReportBlock.MaxCumulativeLost);
        return new ReportBlock(
            Ssrc,
            fractionLost,
            (int)cumulativeLost,
            ExtendedHighestSequenceNumber,
            Jitter,
            _hasSenderReport ? _lastSenderReport : 0,
            _hasSenderReport ? NtpTimestamp.ToShortFormat(now - _lastSenderReportArrival) : 0);
    }

    public RtpReceiveSnapshot GetSnapshot()
    {
        long expected = _expectedBeforeRestarts + Expected;
        long lost = _lostBeforeRestarts + DistinctLost();
        return new RtpReceiveSnapshot(
            Ssrc,
            _packets,
            _bytes,
            expected,
            lost,
            expected == 0 ? 0 : 100.0 * lost / expected,
            JitterTime.TotalMilliseconds,
            _duplicates,
            _reordered,
            _late);
    }

    /// <summary>Forgets everything: the stream now comes from <paramref name="ssrc"/> (an SSRC change, RFC 3550 §8.2), which starts on probation.</summary>
    public void Reset(uint ssrc)
    {
        Ssrc = ssrc;
        _maxSeq = 0;
        _cycles = 0;
        _baseSeq = 0;
        _badSeq = 0;
        _probation = 0;
        _received = 0;
        _expectedPrior = 0;
        _receivedPrior = 0;
        _seen = false;
        _window = UInt128.Zero;
        _jitter = 0;
        _lastTransit = 0;
        _hasTransit = false;
        _clockRate = 0;
        _lastSenderReport = 0;
        _lastSenderReportArrival = TimeSpan.Zero;
        _hasSenderReport = false;
        _packets = 0;
        _bytes = 0;
        _duplicates = 0;
        _duplicatesSinceInit = 0;
        _reordered = 0;
        _late = 0;
        _restarts = 0;
        _expectedBeforeRestarts = 0;
        _lostBeforeRestarts = 0;
    }

    private long DistinctLost() => Math.Max(0, Expected - (_received - _duplicatesSinceInit));

    // RFC 3550 A.1 init_seq.
    private void InitSequence(ushort seq)
    {
        _baseSeq = seq;
        _maxSeq = seq;
        _badSeq = SequenceModulo + 1; // so seq == bad_seq is false
        _cycles = 0;
        _received = 0;
        _receivedPrior = 0;
        _expectedPrior = 0;
        _duplicatesSinceInit = 0;
        _window = UInt128.One;
    }

    // RFC 3550 A.1 update_seq, with duplicates told apart from reordering by the window.
    private RtpSequenceStatus UpdateSequence(ushort seq)
    {
        int udelta = (ushort)(seq - _maxSeq);
        if (_probation > 0)
        {
            if (seq == (ushort)(_maxSeq + 1))
            {
                _probation--;
                _maxSeq = seq;
                if (_probation == 0)
                {
                    InitSequence(seq);
                    _received++;
                    return RtpSequenceStatus.Valid;
                }
            }
            else
            {
                _probation = MinSequential - 1;
                _maxSeq = seq;
            }

            return RtpSequenceStatus.Probation;
        }

        if (udelta == 0)
        {
            _received++;
            return CountDuplicate();
        }

        if (udelta < MaxDropout)
        {
            // In order, with a permissible gap.
            if (seq < _maxSeq)
            {
                _cycles += SequenceModulo; // wrapped
            }

            _maxSeq = seq;
            _window = udelta >= 128 ? UInt128.One : (_window << udelta) | UInt128.One;
            _received++;
            return RtpSequenceStatus.Valid;
        }

        if (udelta <= SequenceModulo - MaxMisorder)
        {
            // A very large jump. If the next packet follows it, the other side restarted its
            // sequence (e.g. without changing SSRC); otherwise it was a stray.
            if (seq != _badSeq)
            {
                _badSeq = (uint)((seq + 1) & (SequenceModulo - 1));
                return RtpSequenceStatus.BadSequence;
            }

            _expectedBeforeRestarts += Expected;
            _lostBeforeRestarts += DistinctLost();
            _restarts++;
            InitSequence(seq);
            _hasTransit = false; // the timestamps most likely restarted too
            _received++;
            return RtpSequenceStatus.Valid;
        }

        // Behind the highest by fewer than MAX_MISORDER: reordered or duplicate. RFC 3550 counts both as received.
        _received++;
        UInt128 bit = UInt128.One << (SequenceModulo - udelta);
        if ((_window & bit) != UInt128.Zero)
        {
            return CountDuplicate();
        }

        _window |= bit;
        _reordered++;
        return RtpSequenceStatus.Reordered;
    }

    private RtpSequenceStatus CountDuplicate()
    {
        _duplicates++;
        _duplicatesSinceInit++;
        return RtpSequenceStatus.Duplicate;
    }

    // RFC 3550 A.8: D = (Rj − Ri) − (Sj − Si) = transit_j − transit_i; J += (|D| − J) / 16.
    private void UpdateJitter(uint rtpTimestamp, int clockRate, TimeSpan arrival)
    {
        long arrivalUnits = ToTimestampUnits(arrival, clockRate);

        // Both clocks wrap at 2^32 on the wire, so the transit is their difference modulo 2^32.
        long transit = unchecked((int)((uint)arrivalUnits - rtpTimestamp));
        if (_hasTransit && clockRate == _clockRate)
        {
            double d = Math.Abs(transit - _lastTransit);
            _jitter += (d - _jitter) / 16;
        }

        _lastTransit = transit;
        _hasTransit = true;
        _clockRate = clockRate;
    }

    private static long ToTimestampUnits(TimeSpan time, int clockRate)
    {
        long seconds = Math.DivRem(time.Ticks, TimeSpan.TicksPerSecond, out long remainder);
        return (seconds * clockRate) + (remainder * clockRate / TimeSpan.TicksPerSecond);
    }
}
