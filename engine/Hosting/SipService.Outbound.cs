using System.Diagnostics.Metrics;
using CallTracking.Engine.Calls.Control;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Sip.Core;
using CallTracking.Engine.Sip.Outbound;
using CallTracking.Engine.Sip.Outbound.Dns;
using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Storage;

namespace CallTracking.Engine.Hosting;

public sealed partial class SipService
{
    private OutboundDialer? _dialer;
    private TrunkMonitor? _monitor;

    /// <summary>Call control and, when a trunk has an Outbound section, the dialer and the trunk monitor.</summary>
    public CallControl? CallControl { get; private set; }

    private void AttachCallControl(EngineSettings settings, RoutingDirectory routes, CallRecordWriter? writer, Transcription.ILiveTranscription? live, TimeProvider time, Meter meter, ILoggerFactory loggers, Privacy.PrivacyOptions? privacy, Privacy.IAuditSink? audit)
    {
        var trunks = new Dictionary<string, OutboundTrunk>(StringComparer.OrdinalIgnoreCase);
        foreach (var trunk in settings.Trunks)
        {
            if (trunk.Outbound is { } outbound)
            {
                trunks[trunk.Name] = new OutboundTrunk(
                    trunk.Name,
                    outbound.Uri,
                    outbound.Transport,
                    outbound.Credentials?.Username,
                    outbound.Credentials?.Password,
                    outbound.CallerId == CallerIdMode.TrackingNumber ? CallerIdPolicy.TrackingNumber : CallerIdPolicy.PassThrough,
                    outbound.TrackingNumberHeader);
            }
        }

        // SIP URI destinations are dialled directly, so the dialer exists even without outbound trunks.
        var dns = new DnsClient(null, TimeSpan.FromSeconds(2), 2, time, new OutboundMetrics(meter), loggers.CreateLogger<DnsClient>());
        _dialer = new OutboundDialer(
            new OutboundDialerOptions { UserAgent = settings.Sip.UserAgent, PublicAddress = settings.Sip.PublicAddress },
            _transports,
            new SipDnsResolver(dns, new Random()),
            settings.Sip.Timers,
            new SipIdentifiers(),
            time,
            meter,
            loggers.CreateLogger<OutboundDialer>());
        _core.AttachOutbound(_dialer);
        // Trunks with OptionsIntervalSeconds 0 are not pinged (and stay Unknown, which the dialer treats as usable).
        var pinged = settings.Trunks.Where(t => t.Outbound is { OptionsInterval.Ticks: > 0 }).ToList();
        if (pinged.Count > 0)
        {
            var interval = pinged.Min(t => t.Outbound!.OptionsInterval);
            _monitor = new TrunkMonitor(_dialer, [.. pinged.Select(t => trunks[t.Name])], interval, time, loggers.CreateLogger<TrunkMonitor>());
        }

        CallControl = new CallControl(routes, _dialer, trunks, writer, _media, time, loggers.CreateLogger<CallControl>(), privacy, audit) { Live = live };
        _core.AttachCallControl(CallControl);
    }

    private async Task StopOutboundAsync()
    {
        if (_monitor is not null)
        {
            await _monitor.DisposeAsync().ConfigureAwait(false);
        }
    }
}
