using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using CallTracking.Engine.Calls.Control;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Sip.Core;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Tracking;
using CallTracking.Media.Codecs.Opus;
using CallTracking.Media.Native;
using CallTracking.Media.Recording;
using CallTracking.Media.Rtp;
using CallTracking.Media.Sessions;
using CallTracking.Media.Workers;

namespace CallTracking.Engine.Hosting;

/// <summary>
/// Runs the SIP stack and the media engine inside the host: binds every listener at start (a port in use fails
/// start-up with a message naming the endpoint), checks the native libraries, pumps media events into the core,
/// and on shutdown hangs up the calls it carries, completes their recordings, then closes the sockets.
/// </summary>
public sealed partial class SipService : IHostedService, IAsyncDisposable
{
    private readonly EngineSettings _settings;
    private readonly SipTransports _transports;
    private readonly MediaEngine _media;
    private readonly SipCore _core;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _statsStopping = new();
    private Task _pump = Task.CompletedTask;
    private Task _stats = Task.CompletedTask;
    private int _stopped;

    // RTP totals of sessions that have stopped, for the media stats line (written by the pump, read by the stats loop).
    private long _endedSessions;
    private long _endedPacketsReceived;
    private long _endedPacketsLost;
    private long _endedPacketsLate;

    public SipService(EngineSettings settings, TrunkAdmission admission, TrackingNumberDirectory numbers, RtpPortAllocator ports, TimeProvider time, IMeterFactory meters, ILoggerFactory loggers, RoutingDirectory? routes = null, CallRecordWriter? writer = null, Transcription.ILiveTranscription? live = null, CallTracking.Media.Recording.Encryption.IRecordingKeySource? recordingKeys = null, Privacy.PrivacyOptions? privacy = null, Privacy.IAuditSink? audit = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(loggers);
        _settings = settings;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SipService>();
        var meter = meters.Create(SipTransportMetrics.MeterName);
        _transports = new SipTransports(new SipTransportMetrics(meter));
        _media = new MediaEngine(
            new MediaEngineOptions(MediaBindAddress(settings.Media.Address), settings.Media.PortRange, settings.Media.Workers, settings.Media.WorkerNice),
            ports,
            () => new OpusRecordingEncoder(),
            time,
            meters.Create(MediaMetrics.MeterName),
            recordingKeys);
        var options = new SipCoreOptions
        {
            UserAgent = settings.Sip.UserAgent,
            PublicAddress = settings.Sip.PublicAddress,
            MediaAddress = settings.Media.Address,
            AnswerDelay = settings.Sip.AnswerDelay,
            SessionExpiresSeconds = (int)settings.Sip.SessionExpires.TotalSeconds,
            MinSESeconds = (int)settings.Sip.MinSE.TotalSeconds,
            RecordingsPath = settings.Media.Record ? Path.Combine(settings.DataPath, "recordings") : null,
            MediaInactivity = settings.Media.Inactivity,
            LatchAnySource = settings.Media.LatchAnySource,
        };
        _core = new SipCore(options, admission, numbers, _transports, settings.Sip.Timers, _media, new SipIdentifiers(), time, meter, loggers.CreateLogger<SipCore>());
        if (routes is not null)
        {
            AttachCallControl(settings, routes, writer, live, time, meter, loggers, privacy, audit);
        }
    }

    /// <summary>The bound listeners (with the real port when the configuration said 0).</summary>
    public IReadOnlyList<SipListener> Listeners => _transports.Listeners;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A missing codec library must stop start-up with the package to install, not fail the first call.
        try
        {
            LogOpus(OpusLibrary.EnsureAvailable());
        }
        catch (NativeLibraryMissingException e)
        {
            throw new StartupException(e.Message, e);
        }

        var endpoints = _settings.Sip.Listen.Select(e => (e.Transport, new IPEndPoint(e.Address, e.Port))).ToList();
        try
        {
            _transports.Bind(endpoints, _core, _loggers);
        }
        catch (SocketException e)
        {
            throw new StartupException($"cannot listen for SIP on {string.Join(", ", _settings.Sip.Listen)}: {e.Message}. Is another SIP server running there? Change Sip:Listen or stop it.", e);
        }

        _media.Start();
        // Every worker tries the same thing, so one of them says whether it worked.
        if (_media.Workers.Count > 0 && _media.Workers[0].PriorityError is { } priorityError)
        {
            LogWorkerPriority(priorityError);
        }

        _monitor?.Start();
        _pump = Task.Run(PumpMediaEventsAsync, CancellationToken.None);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _stats = Task.Run(LogMediaStatsAsync, CancellationToken.None);
        }

        // About one receive loop per core: UDP work is parsed and answered on the receiving thread.
        _transports.Start(Math.Max(1, Environment.ProcessorCount));
        foreach (var listener in _transports.Listeners)
        {
            LogListening(listener.ToString());
        }

        LogMedia(_settings.Media.PortRange.ToString(), _settings.Media.Workers, _settings.Media.Record ? Path.Combine(_settings.DataPath, "recordings") : "off");

        // Both are valid configurations, but an operator who left them empty will otherwise only see 403s and 404s.
        if (_settings.Trunks.Count == 0)
        {
            LogNoTrunks();
        }

        if (_settings.Numbers.Count == 0)
        {
            LogNoNumbers();
        }

        return Task.CompletedTask;
    }

    private async Task PumpMediaEventsAsync()
    {
        await foreach (var mediaEvent in _media.Events.ReadAllAsync().ConfigureAwait(false))
        {
            if (mediaEvent is { Kind: MediaEventKind.Stopped, Summary: { } summary })
            {
                Interlocked.Increment(ref _endedSessions);
                Interlocked.Add(ref _endedPacketsReceived, summary.PacketsReceived);
                Interlocked.Add(ref _endedPacketsLost, summary.PacketsLost);
                Interlocked.Add(ref _endedPacketsLate, summary.PacketsLate);
            }

            try
            {
                _core.OnMediaEvent(mediaEvent);
            }
#pragma warning disable CA1031 // One bad event must not stop DTMF and recordings of every other call.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogMediaEventFailed(e, mediaEvent.Kind, mediaEvent.SessionId);
            }
        }
    }

    /// <summary>
    /// Every 2 s at Debug level, one line of cumulative media worker counters (the load harness under bench/load
    /// diffs two of them): sessions per worker, ticks, late ticks, busy time, the longest tick in the window, and the
    /// RTP totals of the sessions that have ended.
    /// </summary>
    private async Task LogMediaStatsAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        try
        {
            while (await timer.WaitForNextTickAsync(_statsStopping.Token).ConfigureAwait(false))
            {
                var workers = _media.Workers;
                long ticks = 0, late = 0, dropped = 0;
                var busy = TimeSpan.Zero;
                var maxTick = TimeSpan.Zero;
                var sessions = new int[workers.Count];
                for (var i = 0; i < workers.Count; i++)
                {
                    var worker = workers[i];
                    sessions[i] = worker.Count;
                    ticks += worker.Ticks;
                    late += worker.LateTicks;
                    dropped += worker.RecordingFramesDropped;
                    busy += worker.BusyTime;
                    var max = worker.TakeMaxTickDuration();
                    maxTick = max > maxTick ? max : maxTick;
                }

                LogMediaStats(
                    string.Join('/', sessions),
                    ticks,
                    late,
                    busy.TotalMilliseconds,
                    maxTick.TotalMilliseconds,
                    Interlocked.Read(ref _endedSessions),
                    Interlocked.Read(ref _endedPacketsReceived),
                    Interlocked.Read(ref _endedPacketsLost),
                    Interlocked.Read(ref _endedPacketsLate),
                    dropped);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => StopCoreAsync();

    public async ValueTask DisposeAsync() => await StopCoreAsync().ConfigureAwait(false);

    private async Task StopCoreAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        // Order matters: BYE every call (which stops its media), let the workers complete the recordings, let the
        // pump record them with their calls, and only then close the SIP sockets.
        await _statsStopping.CancelAsync().ConfigureAwait(false);
        await _stats.ConfigureAwait(false);
        _statsStopping.Dispose();
        await StopOutboundAsync().ConfigureAwait(false);
        await _core.DisposeAsync().ConfigureAwait(false);
        _dialer?.Dispose();
        _media.Dispose();
        await _pump.ConfigureAwait(false);
        await _transports.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>RTP binds to Media:Address when it is one of this machine's addresses, else to every address
    /// (Media:Address is then only what the SDP advertises, as behind a 1:1 NAT).</summary>
    private static IPAddress MediaBindAddress(string? configured)
    {
        if (configured is null || !IPAddress.TryParse(configured, out var address))
        {
            return IPAddress.Any;
        }

        using var probe = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            probe.Bind(new IPEndPoint(address, 0));
            return address;
        }
        catch (SocketException)
        {
            return address.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No trunks configured: every SIP request will be refused 403. Add your carrier's signalling addresses under Trunks[].Allow.")]
    private partial void LogNoTrunks();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No tracking numbers configured: every call will be answered 404. List them under Numbers[].Number in E.164.")]
    private partial void LogNoNumbers();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media workers run at the process's priority, so a busy machine can delay what callers hear: {Reason}. Or set Media:WorkerNice to 0 to silence this.")]
    private partial void LogWorkerPriority(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording with {Opus}")]
    private partial void LogOpus(string opus);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on {Listener}")]
    private partial void LogListening(string listener);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media: RTP ports {PortRange}, {Workers} workers, recordings {Recordings}")]
    private partial void LogMedia(string portRange, int workers, string recordings);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Media stats: sessions {SessionsPerWorker}; ticks {Ticks}, late {LateTicks}, busy {BusyMs:F0} ms, max tick {MaxTickMs:F2} ms; ended sessions {EndedSessions}: RTP {PacketsReceived} received, {PacketsLost} lost, {PacketsLate} late; recording frames dropped {RecordingFramesDropped}")]
    private partial void LogMediaStats(string sessionsPerWorker, long ticks, long lateTicks, double busyMs, double maxTickMs, long endedSessions, long packetsReceived, long packetsLost, long packetsLate, long recordingFramesDropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling media event {Kind} of session {SessionId} failed")]
    private partial void LogMediaEventFailed(Exception exception, MediaEventKind kind, long sessionId);
}
