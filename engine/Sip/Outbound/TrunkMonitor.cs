using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Outbound;

/// <summary>
/// Pings every outbound trunk's targets with OPTIONS at a fixed interval (15–30 s in production, 20 s by default)
/// and marks the trunk <see cref="TrunkState.Down"/> after <see cref="FailuresForDown"/> rounds in a row where no
/// target answered, and <see cref="TrunkState.Up"/> again on any response except 503 (a 404 or 405 to OPTIONS still
/// proves the trunk is there). Dialers skip down trunks unless all are down.
/// </summary>
public sealed partial class TrunkMonitor : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(20);

    public const int FailuresForDown = 3;

    private readonly OutboundDialer _dialer;
    private readonly IReadOnlyList<OutboundTrunk> _trunks;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<OutboundTrunk, int> _failures = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public TrunkMonitor(OutboundDialer dialer, IReadOnlyList<OutboundTrunk> trunks, TimeSpan interval, TimeProvider time, ILogger<TrunkMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(dialer);
        ArgumentNullException.ThrowIfNull(trunks);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _dialer = dialer;
        _trunks = trunks;
        _interval = interval;
        _time = time;
        _logger = logger;
        foreach (var trunk in trunks)
        {
            _failures[trunk] = 0;
        }
    }

    public void Start() => _loop ??= RunAsync(_stop.Token);

    /// <summary>One round: every trunk's targets pinged at once; each ping waits at most one interval.</summary>
    public async Task PingAllAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(_trunks.Select(t => PingTrunkAsync(t, cancellationToken))).ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            do
            {
                await PingAllAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task PingTrunkAsync(OutboundTrunk trunk, CancellationToken cancellationToken)
    {
        var resolution = await _dialer.Resolver.ResolveAsync(trunk.TerminationUri, trunk.Transport, cancellationToken).ConfigureAwait(false);
        var up = false;
        if (resolution.Success)
        {
            var pings = resolution.Targets.Select(async target =>
            {
                try
                {
                    return await _dialer.PingAsync(target, trunk.TerminationUri).WaitAsync(_interval, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    return 0;
                }
            }).ToArray();
            var results = await Task.WhenAll(pings).ConfigureAwait(false);
            up = results.Any(status => status is >= 100 and not 503);
        }

        _dialer.Metrics.Ping(up ? "answered" : "failed");
        TrunkState? changed = null;
        lock (_failures)
        {
            if (up)
            {
                _failures[trunk] = 0;
                if (trunk.State != TrunkState.Up)
                {
                    trunk.SetState(TrunkState.Up);
                    changed = TrunkState.Up;
                }
            }
            else
            {
                var failures = ++_failures[trunk];
                if (failures >= FailuresForDown && trunk.State != TrunkState.Down)
                {
                    trunk.SetState(TrunkState.Down);
                    changed = TrunkState.Down;
                }
            }
        }

        if (changed is { } state)
        {
            _dialer.Metrics.TrunkStateChanged(state);
            LogStateChanged(trunk.Name, state);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound trunk {Trunk} is now {State}")]
    private partial void LogStateChanged(string trunk, TrunkState state);
}
