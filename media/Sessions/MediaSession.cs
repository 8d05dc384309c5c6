using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using CallTracking.Media.Rtp;

namespace CallTracking.Media.Sessions;

/// <summary>
/// The media of one call: its RTP/RTCP sockets, what arrives on them, what we play, and the recording.
/// Any thread may call the control methods; they post commands that the owning <see cref="Workers.MediaWorker"/>
/// applies at its next tick, so every piece of per-packet state is touched by exactly one thread and needs no lock.
/// </summary>
public sealed partial class MediaSession : IMediaSession
{
    private readonly ConcurrentQueue<Command> _commands = new();
    private readonly ChannelWriter<MediaEvent> _events;
    private readonly MediaSessionDependencies _dependencies;
    private readonly Action _releasePort;
    private int _stopRequested;

    internal MediaSession(long id, RtpSocketPair sockets, ChannelWriter<MediaEvent> events, MediaSessionDependencies dependencies, Action releasePort)
    {
        Id = id;
        Sockets = sockets;
        _events = events;
        _dependencies = dependencies;
        _releasePort = releasePort;
        InitialiseWorkerState();
    }

    public long Id { get; }

    /// <summary>Our RTP port (RTCP is the next one): what the SDP we send names.</summary>
    public int RtpPort => Sockets.RtpPort;

    public IPAddress LocalAddress => Sockets.Address;

    internal RtpSocketPair Sockets { get; }

    /// <summary>The worker that ticks this session; set once by the engine before the worker sees the session.</summary>
    internal Workers.MediaWorker? Worker { get; init; }

    /// <summary>Starts receiving (and recording to <paramref name="recordingPath"/> when it is not null).</summary>
    public void Start(MediaLegOptions options, string? recordingPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        _commands.Enqueue(new Command(CommandKind.Start, options, recordingPath));
    }

    /// <summary>A re-INVITE changed what was agreed (hold, a new remote address, another codec).</summary>
    public void Update(MediaLegOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _commands.Enqueue(new Command(CommandKind.Update, options, null));
    }

    /// <summary>Plays <paramref name="prompt"/> to the caller at 20 ms pacing, replacing what plays now.</summary>
    public void Play(PromptAudio prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        _commands.Enqueue(new Command(CommandKind.Play, prompt, null));
    }

    /// <inheritdoc/>
    public void Bridge(IMediaSession other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            throw new ArgumentException("A session cannot be bridged to itself.", nameof(other));
        }

        if (other is not MediaSession peer || peer.Worker is null || !ReferenceEquals(peer.Worker, Worker))
        {
            throw new ArgumentException("Bridged sessions must share a media worker: open the second with TryOpen(out session, colocateWith: first).", nameof(other));
        }

        _commands.Enqueue(new Command(CommandKind.Bridge, peer, null));
    }

    /// <inheritdoc/>
    public void Unbridge() => _commands.Enqueue(new Command(CommandKind.Unbridge, null, null));

    /// <inheritdoc/>
    public void PlayRingback(bool on) => _commands.Enqueue(new Command(on ? CommandKind.RingbackOn : CommandKind.RingbackOff, null, null));

    /// <summary>Recording writes silence from now on and marks the span (PCI: card details are not recorded).</summary>
    public void PauseRecording() => _commands.Enqueue(new Command(CommandKind.PauseRecording, null, null));

    public void ResumeRecording() => _commands.Enqueue(new Command(CommandKind.ResumeRecording, null, null));

    /// <inheritdoc/>
    public void Tap(IAudioTap tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        _commands.Enqueue(new Command(CommandKind.Tap, tap, null));
    }

    /// <summary>Stops the session: completes the recording, closes the sockets, reports <see cref="MediaEventKind.Stopped"/>.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0)
        {
            _commands.Enqueue(new Command(CommandKind.Stop, null, null));
        }
    }

    private enum CommandKind : byte
    {
        Start,
        Update,
        Play,
        PauseRecording,
        ResumeRecording,
        Bridge,
        Unbridge,
        RingbackOn,
        RingbackOff,
        Tap,
        Stop,
    }

    private readonly record struct Command(CommandKind Kind, object? Argument, string? Path);
}
