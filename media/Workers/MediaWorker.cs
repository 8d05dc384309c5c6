using System.Collections.Concurrent;
using CallTracking.Media.Recording;
using CallTracking.Media.Sessions;

namespace CallTracking.Media.Workers;

/// <summary>
/// One media thread. Every 20 ms it ticks every session sharded to it: drain sockets, play out one frame, record,
/// send. A fixed handful of these (about one per core) carry every call — not a timer or a task per call.
/// </summary>
public sealed class MediaWorker : IDisposable
{
    public static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(20);

    // Missed ticks up to this far behind are caught up; beyond it the time is lost rather than replayed at once.
    private static readonly TimeSpan MaxCatchUp = TimeSpan.FromSeconds(2);

    // A tick that starts this late has cost the calls on it a frame's worth of playout accuracy.
    private static readonly TimeSpan LateThreshold = TimeSpan.FromMilliseconds(10);

    private readonly ConcurrentQueue<MediaSession> _incoming = new();
    private readonly List<MediaSession> _sessions = [];
    private readonly TimeProvider _time;
    private readonly MediaMetrics _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _thread;
    private RecordingEncoderThread? _encoder;
    private int _count;
    private long _ticks;
    private long _lateTicks;
    private long _busyTimestampTicks;
    private long _maxTickTimestampTicks;

    private readonly int _nice;
    private readonly ManualResetEventSlim _prioritySet = new(false);
    private string? _priorityError;

    /// <param name="nice">The worker thread's nice value on Linux (see <see cref="MediaEngineOptions.WorkerNice"/>);
    /// 0 leaves it as the process is.</param>
    public MediaWorker(int index, TimeProvider time, MediaMetrics metrics, int nice = 0)
    {
        Index = index;
        _time = time;
        _metrics = metrics;
        _nice = nice;
    }

    /// <summary>
    /// After <see cref="Start"/>: why the worker thread could not take its nice value (with what to do), or null
    /// when it did or none was asked. Waits briefly for the thread to have tried.
    /// </summary>
    public string? PriorityError => _prioritySet.Wait(TimeSpan.FromSeconds(5)) ? _priorityError : null;

    public int Index { get; }

    /// <summary>Sessions on this worker (including ones added since the last tick).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Ticks run so far. Read from any thread (stats lines, load harness).</summary>
    public long Ticks => Volatile.Read(ref _ticks);

    /// <summary>Ticks that started more than 10 ms after their time.</summary>
    public long LateTicks => Volatile.Read(ref _lateTicks);

    /// <summary>Total time spent inside ticks: divided by wall time, how busy this worker's thread is.</summary>
    public TimeSpan BusyTime => TimeSpan.FromSeconds((double)Volatile.Read(ref _busyTimestampTicks) / _time.TimestampFrequency);

    /// <summary>The longest tick since the previous call, and starts a new window.</summary>
    public TimeSpan TakeMaxTickDuration() =>
        TimeSpan.FromSeconds((double)Interlocked.Exchange(ref _maxTickTimestampTicks, 0) / _time.TimestampFrequency);

    public void Add(MediaSession session)
    {
        Interlocked.Increment(ref _count);
        _incoming.Enqueue(session);
    }

    /// <summary>
    /// The thread that encodes this worker's recordings once <see cref="Start"/> has run; null while tests drive
    /// <see cref="Tick"/> themselves, and then recordings are encoded inside the tick.
    /// </summary>
    internal RecordingEncoderThread? RecordingEncoder => _encoder;

    /// <summary>Recorded frames the encoder thread fell too far behind for (recorded as silence), over ended calls.</summary>
    public long RecordingFramesDropped => _encoder?.DroppedFrames ?? 0;

    public void Start()
    {
        _encoder = new RecordingEncoderThread($"rec-enc-{Index}");
        _thread = new Thread(Run) { IsBackground = true, Name = $"media-{Index}", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>One pass over every session; exposed so tests drive it on a fake clock.</summary>
    public void Tick(long now)
    {
        while (_incoming.TryDequeue(out var added))
        {
            _sessions.Add(added);
        }

        // Two passes: every session takes its peer's 20 ms out of its jitter buffer first, then every session sends
        // and records. So a bridged leg sends what its partner received in this same tick, whichever comes first.
        for (var i = _sessions.Count - 1; i >= 0; i--)
        {
            if (!_sessions[i].TickReceive(now))
            {
                // Order does not matter: swap the last one in instead of shifting the list.
                _sessions[i] = _sessions[^1];
                _sessions.RemoveAt(_sessions.Count - 1);
                Interlocked.Decrement(ref _count);
            }
        }

        foreach (var session in _sessions)
        {
            session.TickSend(now);
        }

        Volatile.Write(ref _ticks, _ticks + 1);
    }

    private void Run()
    {
        // A worker's tick is what callers hear 20 ms later: on a busy machine it should run before recording
        // encoders, transcription and other programs, which can all wait without anyone hearing it.
        _priorityError = _nice == 0 ? null : Native.ThreadScheduling.TrySetCurrentThreadNice(_nice);
        _prioritySet.Set();
        var token = _stopping.Token;
        var interval = TickInterval;
        var next = _time.GetTimestamp();
        while (!token.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            if (_time.GetElapsedTime(next, started) > LateThreshold)
            {
                Volatile.Write(ref _lateTicks, _lateTicks + 1);
                _metrics.LateTick();
            }

            Tick(started);
            var took = _time.GetTimestamp() - started;
            _encoder?.Wake();
            Volatile.Write(ref _busyTimestampTicks, _busyTimestampTicks + took);
            if (took > Volatile.Read(ref _maxTickTimestampTicks))
            {
                // A reader resetting the window between the read and this write can lose one maximum: fine for stats.
                Volatile.Write(ref _maxTickTimestampTicks, took);
            }

            _metrics.TickTook(TimeSpan.FromSeconds((double)took / _time.TimestampFrequency));

            // Schedule from the planned time, not from when we woke, so ticks do not drift. After a stall (CPU
            // starvation, a long GC) run the missed ticks back to back, so every call's recording stays as long as
            // the call; only a stall beyond MaxCatchUp (a paused VM) is given up and the schedule starts afresh.
            next += (long)(interval.TotalSeconds * _time.TimestampFrequency);
            var wait = _time.GetElapsedTime(_time.GetTimestamp(), next);
            if (wait < -MaxCatchUp)
            {
                next = _time.GetTimestamp();
                continue;
            }

            if (wait > TimeSpan.Zero)
            {
                token.WaitHandle.WaitOne(wait);
            }
        }

        // The engine is stopping: finish every session so recordings are complete on disk.
        while (_incoming.TryDequeue(out var added))
        {
            _sessions.Add(added);
        }

        foreach (var session in _sessions)
        {
            session.Stop();
            session.Tick(_time.GetTimestamp());
        }

        _sessions.Clear();
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(5));

        // After the worker: its last tick completed every session, and the encoder thread finishes their files.
        _encoder?.Dispose();
        _stopping.Dispose();
        _prioritySet.Dispose();
    }
}
