using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Sip.Core;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Tracking;
using CallTracking.Media.Rtp;

namespace CallTracking.Engine.Hosting;

/// <summary>
/// Runs the SIP stack inside the host: binds every listener at start (a port in use fails start-up with a message
/// naming the endpoint), and on shutdown hangs up the calls it carries before it closes the sockets.
/// </summary>
public sealed partial class SipService : IHostedService, IAsyncDisposable
{
    private readonly EngineSettings _settings;
    private readonly SipTransports _transports;
    private readonly SipCore _core;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    public SipService(EngineSettings settings, TrunkAdmission admission, TrackingNumberDirectory numbers, RtpPortAllocator ports, TimeProvider time, IMeterFactory meters, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(loggers);
        _settings = settings;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SipService>();
        var meter = meters.Create(SipTransportMetrics.MeterName);
        _transports = new SipTransports(new SipTransportMetrics(meter));
        var options = new SipCoreOptions
        {
            UserAgent = settings.Sip.UserAgent,
            PublicAddress = settings.Sip.PublicAddress,
            MediaAddress = settings.Media.Address,
            AnswerDelay = settings.Sip.AnswerDelay,
            SessionExpiresSeconds = (int)settings.Sip.SessionExpires.TotalSeconds,
            MinSESeconds = (int)settings.Sip.MinSE.TotalSeconds,
        };
        _core = new SipCore(options, admission, numbers, _transports, settings.Sip.Timers, ports, new SipIdentifiers(), time, meter, loggers.CreateLogger<SipCore>());
    }

    /// <summary>The bound listeners (with the real port when the configuration said 0).</summary>
    public IReadOnlyList<SipListener> Listeners => _transports.Listeners;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoints = _settings.Sip.Listen.Select(e => (e.Transport, new IPEndPoint(e.Address, e.Port))).ToList();
        try
        {
            _transports.Bind(endpoints, _core, _loggers);
        }
        catch (SocketException e)
        {
            throw new SipStartupException($"cannot listen for SIP on {string.Join(", ", _settings.Sip.Listen)}: {e.Message}. Is another SIP server running there? Change Sip:Listen or stop it.", e);
        }

        // About one receive loop per core: UDP work is parsed and answered on the receiving thread.
        _transports.Start(Math.Max(1, Environment.ProcessorCount));
        foreach (var listener in _transports.Listeners)
        {
            LogListening(listener.ToString());
        }

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

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _core.DisposeAsync().ConfigureAwait(false);
        await _transports.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _core.DisposeAsync().ConfigureAwait(false);
        await _transports.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No trunks configured: every SIP request will be refused 403. Add your carrier's signalling addresses under Trunks[].Allow.")]
    private partial void LogNoTrunks();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No tracking numbers configured: every call will be answered 404. List them under Numbers[].Number in E.164.")]
    private partial void LogNoNumbers();

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on {Listener}")]
    private partial void LogListening(string listener);
}
