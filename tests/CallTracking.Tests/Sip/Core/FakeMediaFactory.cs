using CallTracking.Media.Rtp;
using CallTracking.Media.Sessions;

namespace CallTracking.Tests.Sip.Core;

/// <summary>Media sessions that bind nothing: ports come from a real allocator, and every command is recorded.</summary>
internal sealed class FakeMediaFactory : IMediaSessionFactory
{
    private readonly RtpPortAllocator _ports;
    private readonly List<FakeMediaSession> _opened = [];
    private long _lastId;

    public FakeMediaFactory(RtpPortAllocator ports) => _ports = ports;

    public IReadOnlyList<FakeMediaSession> Opened
    {
        get
        {
            lock (_opened)
            {
                return [.. _opened];
            }
        }
    }

    public bool TryOpen(out IMediaSession session) => TryOpen(out session, colocateWith: null);

    public bool TryOpen(out IMediaSession session, IMediaSession? colocateWith)
    {
        if (!_ports.TryAllocate(out var port))
        {
            session = null!;
            return false;
        }

        var opened = new FakeMediaSession(Interlocked.Increment(ref _lastId), port, () => _ports.Release(port));
        lock (_opened)
        {
            _opened.Add(opened);
        }

        session = opened;
        return true;
    }
}

internal sealed class FakeMediaSession(long id, int rtpPort, Action release) : IMediaSession
{
    private int _stopped;

    public long Id { get; } = id;

    public int RtpPort { get; } = rtpPort;

    public MediaLegOptions? Started { get; private set; }

    public string? RecordingPath { get; private set; }

    public List<MediaLegOptions> Updates { get; } = [];

    public bool Stopped => _stopped == 1;

    public int Pauses { get; private set; }

    public void Start(MediaLegOptions options, string? recordingPath)
    {
        Started = options;
        RecordingPath = recordingPath;
    }

    public void Update(MediaLegOptions options) => Updates.Add(options);

    public void Play(PromptAudio prompt)
    {
    }

    public IMediaSession? BridgedTo { get; private set; }

    public bool Ringback { get; private set; }

    public void Bridge(IMediaSession other) => BridgedTo = other;

    public void Unbridge() => BridgedTo = null;

    public void PlayRingback(bool on) => Ringback = on;

    public void PauseRecording() => Pauses++;

    public void ResumeRecording() => Pauses--;

    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            release();
        }
    }
}
