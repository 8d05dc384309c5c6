using System.Buffers.Binary;
using CallTracking.Media.Jitter;
using Microsoft.Extensions.Time.Testing;

namespace CallTracking.Tests.Media.Jitter;

/// <summary>
/// Feeds a packet schedule to a <see cref="JitterBuffer"/> in arrival order and pops it every
/// 20 ms of simulated time. Each payload carries its sequence number, so every popped frame is
/// checked to hold the bytes of the packet it claims to be.
/// </summary>
internal sealed class JitterSimulation
{
    public const double FrameMs = 20;
    public const int SamplesPerFrame = 160;
    public const uint Ssrc = 0x5eed_0001;

    private readonly long _frequency;
    private readonly byte[] _destination = new byte[1500];

    public JitterSimulation(JitterBufferOptions? options = null)
    {
        var time = new FakeTimeProvider();
        _frequency = time.TimestampFrequency;
        Options = options ?? new JitterBufferOptions();
        Buffer = new JitterBuffer(Options, time);
    }

    public JitterBufferOptions Options { get; }

    public JitterBuffer Buffer { get; }

    public List<PopRecord> Pops { get; } = [];

    public List<(SimPacket Packet, InsertResult Result)> Inserts { get; } = [];

    /// <summary>A stream of <paramref name="count"/> 20 ms frames; <paramref name="arrivalMs"/> maps the frame number to its arrival; <paramref name="include"/> drops packets.</summary>
    public static List<SimPacket> Stream(
        int count,
        Func<int, double> arrivalMs,
        ushort firstSeq = 0,
        uint firstTs = 1000,
        uint ssrc = Ssrc,
        Func<int, bool>? include = null)
    {
        var packets = new List<SimPacket>(count);
        for (int n = 0; n < count; n++)
        {
            if (include is null || include(n))
            {
                packets.Add(new SimPacket((ushort)(firstSeq + n), unchecked(firstTs + (uint)(n * SamplesPerFrame)), ssrc, arrivalMs(n)));
            }
        }

        return packets;
    }

    /// <summary>Runs <paramref name="ticks"/> pops at <paramref name="firstTickMs"/> + 20 ms × tick, inserting every packet that arrived by then first.</summary>
    public void Run(IEnumerable<SimPacket> packets, int ticks, double firstTickMs = 10, Action<int>? afterPop = null)
    {
        var ordered = packets.OrderBy(p => p.ArrivalMs).ToList();
        int next = 0;
        Span<byte> payload = stackalloc byte[1600];
        for (int tick = 0; tick < ticks; tick++)
        {
            double now = firstTickMs + (tick * FrameMs);
            while (next < ordered.Count && ordered[next].ArrivalMs <= now)
            {
                SimPacket p = ordered[next++];
                BinaryPrimitives.WriteUInt16BigEndian(payload, p.Seq);
                InsertResult result = Buffer.Insert(p.Seq, p.Ts, p.Ssrc, p.Marker, payload[..p.PayloadLength], Ticks(p.ArrivalMs));
                Inserts.Add((p, result));
            }

            PopResult popped = Buffer.Pop(_destination, out int length, out FrameInfo info);
            if (popped == PopResult.Frame)
            {
                Assert.Equal(info.SequenceNumber, BinaryPrimitives.ReadUInt16BigEndian(_destination));
            }

            Pops.Add(new PopRecord(tick, now, popped, info, length));
            afterPop?.Invoke(tick);
        }
    }

    public long Ticks(double ms) => (long)Math.Round(ms * _frequency / 1000.0);

    /// <summary>Sequence numbers of the frames played, in playout order.</summary>
    public List<ushort> Played() => Pops.Where(p => p.Result == PopResult.Frame).Select(p => p.Info.SequenceNumber).ToList();

    /// <summary>Pops from the first frame played on, as "seq" for frames and "-" for Missing.</summary>
    public List<string> Timeline() => Pops
        .SkipWhile(p => p.Result != PopResult.Frame)
        .Select(p => p.Result switch
        {
            PopResult.Frame => p.Info.SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            PopResult.Missing => "-",
            _ => "b",
        })
        .ToList();

    /// <summary>Missing pops before the last frame played: ticks after the stream ended do not count.</summary>
    public int MissingWhileStreaming()
    {
        int last = Pops.FindLastIndex(p => p.Result == PopResult.Frame);
        return Pops.Take(last + 1).Count(p => p.Result == PopResult.Missing);
    }

    /// <summary>Frames accepted but never played: dropped to steer the depth, or still buffered.</summary>
    public int DroppedReceivedFrames()
    {
        var accepted = Inserts.Where(i => i.Result == InsertResult.Accepted).Select(i => i.Packet.Seq).ToHashSet();
        accepted.ExceptWith(Played());
        return accepted.Count;
    }

    public int Count(PopResult result) => Pops.Count(p => p.Result == result);

    public int Count(InsertResult result) => Inserts.Count(i => i.Result == result);
}
