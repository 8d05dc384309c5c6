using System.Diagnostics.Metrics;
using System.Threading.Channels;
using CallTracking.Media.Recording;
using CallTracking.Media.Recording.Encryption;
using CallTracking.Media.Rtp;
using CallTracking.Media.Sessions;

namespace CallTracking.Media.Workers;

/// <summary>
/// Opens media sessions (a bound RTP/RTCP socket pair each), shards them over a fixed set of
/// <see cref="MediaWorker"/>s, and hands every session's events upward through ONE channel.
/// </summary>
public sealed class MediaEngine : IMediaSessionFactory, IDisposable
{
    // Events are DTMF presses, inactivity and stops: a few per call. If the engine ever stops reading, the
    // newest are refused (counted) rather than growing without bound.
    private const int EventCapacity = 16 * 1024;

    // How many ports to try when another program holds the one the allocator hands out.
    private const int BindAttempts = 8;

    private readonly MediaEngineOptions _options;
    private readonly RtpPortAllocator _ports;
    private readonly MediaWorker[] _workers;
    private readonly Channel<MediaEvent> _events = Channel.CreateBounded<MediaEvent>(new BoundedChannelOptions(EventCapacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly MediaSessionDependencies _dependencies;
    private long _lastSessionId;

    public MediaEngine(MediaEngineOptions options, RtpPortAllocator ports, Func<IOpusFrameEncoder> createRecordingEncoder, TimeProvider time, Meter meter, IRecordingKeySource? recordingKeys = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        _options = options;
        _ports = ports;
        var metrics = new MediaMetrics(meter);
        _dependencies = new MediaSessionDependencies(time, createRecordingEncoder, metrics, recordingKeys);
        _workers = new MediaWorker[options.Workers];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new MediaWorker(i, time, metrics, options.WorkerNice);
        }
    }

    /// <summary>Every session's events, in the order the workers produced them.</summary>
    public ChannelReader<MediaEvent> Events => _events.Reader;

    public IReadOnlyList<MediaWorker> Workers => _workers;

    public void Start()
    {
        foreach (var worker in _workers)
        {
            worker.Start();
        }
    }

    /// <summary>
    /// Allocates and binds a port pair now, before the SDP that names it is sent, so a port some other program
    /// holds is skipped instead of discovered after the answer. False when the range is exhausted.
    /// </summary>
    public bool TryOpen(out IMediaSession session) => TryOpen(out session, colocateWith: null);

    /// <summary>
    /// As <see cref="TryOpen(out IMediaSession)"/>, on the same worker as <paramref name="colocateWith"/> when it is
    /// given: two legs that will be bridged (<see cref="IMediaSession.Bridge"/>) must share one worker, so one thread
    /// ticks both and their audio changes hands without a lock.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="colocateWith"/> was not opened by this engine.</exception>
    public bool TryOpen(out IMediaSession session, IMediaSession? colocateWith)
    {
        var worker = LeastLoaded();
        if (colocateWith is not null)
        {
            if (colocateWith is not MediaSession other || other.Worker is null || Array.IndexOf(_workers, other.Worker) < 0)
            {
                throw new ArgumentException("The session to share a worker with was not opened by this media engine.", nameof(colocateWith));
            }

            worker = other.Worker;
        }

        for (var attempt = 0; attempt < BindAttempts; attempt++)
        {
            if (!_ports.TryAllocate(out var port))
            {
                break;
            }

            if (RtpSocketPair.TryBind(_options.BindAddress, port, out var sockets))
            {
                var opened = new MediaSession(Interlocked.Increment(ref _lastSessionId), sockets!, _events.Writer, _dependencies, () => _ports.Release(port))
                {
                    Worker = worker,
                };
                worker.Add(opened);
                session = opened;
                return true;
            }

            _ports.Release(port);
        }

        session = null!;
        return false;
    }

    private MediaWorker LeastLoaded()
    {
        var best = _workers[0];
        foreach (var worker in _workers)
        {
            if (worker.Count < best.Count)
            {
                best = worker;
            }
        }

        return best;
    }

    /// <summary>Stops the workers; each completes the recordings of the sessions it still carries.</summary>
    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        _events.Writer.TryComplete();
    }
}
