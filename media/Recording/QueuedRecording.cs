namespace CallTracking.Media.Recording;

/// <summary>
/// A recording whose Opus encoding runs on a <see cref="RecordingEncoderThread"/> instead of the media worker's
/// tick: the worker (the one producer) copies each committed 20 ms frame into a ring, the encoder thread (the one
/// consumer) encodes and writes it through the <see cref="CallRecorder"/> it alone touches from then on. Encoding
/// was most of a recorded call's tick (libopus ≈ 50 µs a frame against ≈ 8 µs for everything else a relayed call
/// costs), so moving it off the 20 ms schedule keeps ticks short and on time: a slow encode delays only the file.
/// Single-producer/single-consumer ring (head and tail published with <see cref="Volatile"/>); when the encoder
/// thread falls three quarters of a ring behind, the worker takes the (otherwise uncontended) encoding lock and
/// encodes one frame of the backlog in its tick, so a starved encoder thread costs tick time, not lost audio. Only
/// that late: the workers run at a higher priority than the encoders, so a briefly busy machine makes every
/// call's encoder lag at once, and helping all of them early turned a short lag into late ticks for every call.
/// Allocates nothing per frame.
/// </summary>
public sealed class QueuedRecording : IRecordingSink
{
    /// <summary>128 frames: 2.56 s of audio the encoder may fall behind before frames are dropped (as silence);
    /// 80 KB a recorded call.</summary>
    public const int DefaultCapacityFrames = 128;

    private const int FrameSamples = CallRecorder.FrameSamples;

    private readonly CallRecorder _recorder;
    private readonly short[] _left;
    private readonly short[] _right;
    private readonly bool[] _paused;
    private readonly int _mask;

    // Written by the worker, read by the encoder thread.
    private long _tail;
    private long _droppedBeforeTail;
    private bool _completeRequested;

    // Written by the encoder thread, read by the worker.
    private long _head;
    private bool _completed;

    private Action<CallRecorder>? _onCompleted;

    // Held by whichever thread encodes: the encoder thread, or the worker helping when the encoder has fallen behind.
    private readonly Lock _encoding = new();

    /// <param name="recorder">The recording; from now on only the encoder thread calls it.</param>
    /// <param name="capacityFrames">Frames the ring holds (rounded up to a power of two).</param>
    public QueuedRecording(CallRecorder recorder, int capacityFrames = DefaultCapacityFrames)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityFrames, 2);
        _recorder = recorder;
        int capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacityFrames);
        _mask = capacity - 1;
        _left = new short[capacity * FrameSamples];
        _right = new short[capacity * FrameSamples];
        _paused = new bool[capacity];
    }

    /// <summary>Worker side: whether the frames written now are recorded as silence.</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Frames the encoder thread was too far behind to take: recorded as silence so the length holds.</summary>
    public long DroppedFrames => Volatile.Read(ref _droppedBeforeTail);

    /// <summary>Frames queued and not yet encoded: how far the encoder thread is behind.</summary>
    public long Backlog => Volatile.Read(ref _tail) - Volatile.Read(ref _head);

    /// <summary>True once the encoder thread has completed the recording (after <see cref="Complete"/>).</summary>
    public bool IsCompleted => Volatile.Read(ref _completed);

    /// <summary>Worker side: queues one committed frame (empty span: silence).</summary>
    public void WriteFrame(ReadOnlySpan<short> callerPcm8k, ReadOnlySpan<short> otherPcm8k)
    {
        if (Volatile.Read(ref _completeRequested))
        {
            throw new InvalidOperationException("The recording is complete; no more frames can be written.");
        }

        long tail = _tail;
        if (tail - Volatile.Read(ref _head) > _mask - (_mask >> 2) && _encoding.TryEnter())
        {
            // The encoder thread is three quarters of a ring behind (it gets too little CPU on an overloaded
            // machine): the worker encodes a frame of the backlog itself rather than lose audio. One frame a tick,
            // so the backlog stops growing while a tick carries at most one extra encode per call.
            try
            {
                EncodeQueued(1);
            }
            finally
            {
                _encoding.Exit();
            }
        }

        if (tail - Volatile.Read(ref _head) > _mask)
        {
            // The encoder is more than the ring behind (the machine is overloaded): this frame becomes silence
            // on the encoder side rather than block the tick or shorten the recording.
            Volatile.Write(ref _droppedBeforeTail, _droppedBeforeTail + 1);
            return;
        }

        int slot = (int)(tail & _mask);
        Copy(callerPcm8k, _left.AsSpan(slot * FrameSamples, FrameSamples));
        Copy(otherPcm8k, _right.AsSpan(slot * FrameSamples, FrameSamples));
        _paused[slot] = IsPaused;
        Volatile.Write(ref _tail, tail + 1);
    }

    public void Pause() => IsPaused = true;

    public void Resume() => IsPaused = false;

    /// <summary>
    /// Worker side, after the last <see cref="WriteFrame"/>: the encoder thread encodes what is queued, completes
    /// the recording and then calls <paramref name="onCompleted"/> on its own thread.
    /// </summary>
    public void Complete(Action<CallRecorder> onCompleted)
    {
        ArgumentNullException.ThrowIfNull(onCompleted);
        _onCompleted = onCompleted;
        Volatile.Write(ref _completeRequested, true);
    }

    /// <summary>Encoder side: why encoding stopped (an I/O error on the file), or null.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Encoder side: encodes every queued frame; true once the recording is complete and can be forgotten.</summary>
    internal bool Drain()
    {
        // Read the request before the tail: every frame written before it is then seen below.
        bool complete = Volatile.Read(ref _completeRequested);
        lock (_encoding)
        {
            EncodeQueued(long.MaxValue);
        }

        if (!complete)
        {
            return false;
        }

        // The worker writes no more frames once completion is requested, so nothing else takes the lock from here.
        EncodeQueued(long.MaxValue);

        if (Error is null)
        {
            try
            {
                // Frames dropped for overload keep their time as silence (at the end: their place is lost).
                for (long i = Volatile.Read(ref _droppedBeforeTail); i > 0; i--)
                {
                    _recorder.WriteFrame(default, default);
                }

                _recorder.Complete();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                Error = e;
            }
        }

        Volatile.Write(ref _completed, true);
        _onCompleted?.Invoke(_recorder);
        return true;
    }

    private void EncodeQueued(long most)
    {
        long head = _head;
        long tail = Volatile.Read(ref _tail);
        if (tail - head > most)
        {
            tail = head + most;
        }

        while (head < tail)
        {
            if (Error is null)
            {
                Encode((int)(head & _mask));
            }

            head++;
            Volatile.Write(ref _head, head);
        }
    }

    private void Encode(int slot)
    {
        try
        {
            if (_paused[slot] != _recorder.IsPaused)
            {
                if (_paused[slot])
                {
                    _recorder.Pause();
                }
                else
                {
                    _recorder.Resume();
                }
            }

            _recorder.WriteFrame(_left.AsSpan(slot * FrameSamples, FrameSamples), _right.AsSpan(slot * FrameSamples, FrameSamples));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A full disk must not stop the other calls' recordings, nor this call: the file keeps what it has.
            Error = e;
        }
    }

    private static void Copy(ReadOnlySpan<short> from, Span<short> to)
    {
        if (from.IsEmpty)
        {
            to.Clear();
        }
        else
        {
            from.CopyTo(to);
        }
    }
}
