using System.Diagnostics.CodeAnalysis;
using CallTracking.Media.Sessions;

namespace CallTracking.Media.Transcription;

/// <summary>
/// The live audio of one call on its way from the media worker to live transcription: a bounded ring of 20 ms stereo
/// frames (received = caller, sent = business), one producer (the media worker's tick, <see cref="Write"/>) and one
/// consumer (<see cref="TryRead"/>). The producer copies a frame into a slot and never waits, never allocates: when the
/// consumer is behind and the ring is full the frame is dropped and counted (<see cref="Dropped"/>). Every frame
/// carries its index from the first <see cref="Write"/> (20 ms each), so the consumer sees where frames are missing
/// and times stay right.
/// </summary>
public sealed class LiveAudioTap : IAudioTap
{
    /// <summary>Samples per side per frame: 20 ms at 8 kHz.</summary>
    public const int FrameSamples = 160;

    /// <summary>The rate of the frames.</summary>
    public const int SampleRate = 8000;

    /// <summary>Default ring: 5 s of audio, far more than a consumer that drains every 100 ms needs.</summary>
    public const int DefaultCapacityFrames = 256;

    private readonly short[] _received;
    private readonly short[] _sent;
    private readonly long[] _index;
    private readonly int _mask;

    // _head: written by the producer only (published with a release write after the slot); _tail: by the consumer
    // only. A slot between them belongs to the consumer, the rest to the producer.
    private long _head;
    private long _tail;

    // Producer only (the consumer reads them for counters).
    private long _frames;
    private long _dropped;
    private int _completed;

    /// <param name="capacityFrames">Frames the ring holds (rounded up to a power of two).</param>
    public LiveAudioTap(int capacityFrames = DefaultCapacityFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityFrames, 1);
        var capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacityFrames);
        _mask = capacity - 1;
        _received = new short[capacity * FrameSamples];
        _sent = new short[capacity * FrameSamples];
        _index = new long[capacity];
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Frames handed to <see cref="Write"/>, dropped ones included.</summary>
    public long Frames => Volatile.Read(ref _frames);

    /// <summary>Frames dropped because the ring was full.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Frames waiting for the consumer.</summary>
    public int Queued => (int)(Volatile.Read(ref _head) - Volatile.Read(ref _tail));

    /// <summary>The session stopped (<see cref="Complete"/>); frames may still be waiting.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>Copies one frame in, or drops it when the ring is full. Producer thread only.</summary>
    public void Write(ReadOnlySpan<short> received, ReadOnlySpan<short> sent)
    {
        if (received.Length is not (0 or FrameSamples) || sent.Length is not (0 or FrameSamples))
        {
            ThrowBadFrame(received.Length, sent.Length);
        }

        var index = _frames;
        Volatile.Write(ref _frames, index + 1);
        var head = _head;
        if (head - Volatile.Read(ref _tail) > _mask)
        {
            Volatile.Write(ref _dropped, _dropped + 1);
            return;
        }

        var slot = (int)(head & _mask);
        Copy(received, _received.AsSpan(slot * FrameSamples, FrameSamples));
        Copy(sent, _sent.AsSpan(slot * FrameSamples, FrameSamples));
        _index[slot] = index;

        // Release: the consumer that sees the new head sees the slot's samples.
        Volatile.Write(ref _head, head + 1);
    }

    /// <inheritdoc/>
    public void Complete() => Volatile.Write(ref _completed, 1);

    /// <summary>Takes the oldest waiting frame (160 samples each side) and its index; false when none waits. Consumer thread only.</summary>
    public bool TryRead(Span<short> received, Span<short> sent, out long index)
    {
        if (received.Length < FrameSamples || sent.Length < FrameSamples)
        {
            ThrowBadFrame(received.Length, sent.Length);
        }

        var tail = _tail;
        if (tail == Volatile.Read(ref _head))
        {
            index = -1;
            return false;
        }

        var slot = (int)(tail & _mask);
        _received.AsSpan(slot * FrameSamples, FrameSamples).CopyTo(received);
        _sent.AsSpan(slot * FrameSamples, FrameSamples).CopyTo(sent);
        index = _index[slot];

        // Release: the producer that sees the new tail may overwrite the slot, which has been read.
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    private static void Copy(ReadOnlySpan<short> frame, Span<short> slot)
    {
        if (frame.IsEmpty)
        {
            slot.Clear();
        }
        else
        {
            frame.CopyTo(slot);
        }
    }

    [DoesNotReturn]
    private static void ThrowBadFrame(int received, int sent) =>
        throw new ArgumentException($"A live audio frame is {FrameSamples} samples (20 ms at 8 kHz) per side, or empty; got {received} and {sent}.");
}
