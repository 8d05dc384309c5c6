using System.Collections.Concurrent;

namespace CallTracking.Media.Recording;

/// <summary>
/// Encodes the recordings of one media worker's calls on a thread of its own (one per worker, so one per core), so
/// the worker's 20 ms tick only copies PCM (see <see cref="QueuedRecording"/>). The worker wakes it after every
/// tick; it also wakes every 20 ms by itself. The workers run above it (<c>Media:WorkerNice</c>, where the engine
/// may raise them), so on a busy core the ticks go first and the encoding catches up afterwards within its ring
/// (<see cref="QueuedRecording.DefaultCapacityFrames"/>). Allocates nothing per frame.
/// </summary>
public sealed class RecordingEncoderThread : IDisposable
{
    private static readonly TimeSpan IdleWake = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentQueue<QueuedRecording> _added = new();
    private readonly List<QueuedRecording> _recordings = [];
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _count;
    private long _droppedFrames;

    /// <param name="name">The thread's name (shown by ps, top, perf).</param>
    public RecordingEncoderThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name, Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>Recordings being encoded (including ones added since the thread last woke).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Hands a recording to this thread; from now on the thread drives its <see cref="CallRecorder"/>.</summary>
    public void Add(QueuedRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        Interlocked.Increment(ref _count);
        _added.Enqueue(recording);
    }

    /// <summary>Frames of completed recordings that were dropped (as silence) because this thread fell behind.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>New frames are queued (the worker finished a tick).</summary>
    public void Wake() => _wake.Set();

    /// <summary>Encodes what is queued, completes every recording whose <see cref="QueuedRecording.Complete"/> was
    /// called, and stops the thread.</summary>
    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _thread.Join(TimeSpan.FromSeconds(10));
        _wake.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            bool stopping = _stopping;
            while (_added.TryDequeue(out var added))
            {
                _recordings.Add(added);
            }

            for (int i = _recordings.Count - 1; i >= 0; i--)
            {
                bool done = _recordings[i].Drain();
                if (done)
                {
                    Interlocked.Add(ref _droppedFrames, _recordings[i].DroppedFrames);
                    _recordings[i] = _recordings[^1];
                    _recordings.RemoveAt(_recordings.Count - 1);
                    Interlocked.Decrement(ref _count);
                }
            }

            if (stopping && _added.IsEmpty)
            {
                return;
            }

            _wake.WaitOne(IdleWake);
        }
    }
}
