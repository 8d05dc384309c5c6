using System.Diagnostics.Metrics;

namespace CallTracking.Engine.Sip.Outbound;

/// <summary>What an operator watches of outbound legs, on the SIP meter (<c>calltracking.sip.outbound.*</c>).</summary>
public sealed class OutboundMetrics
{
    private readonly Counter<long> _dials;
    private readonly Counter<long> _answered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _failovers;
    private readonly Counter<long> _authentications;
    private readonly Counter<long> _dnsErrors;
    private readonly Counter<long> _pings;
    private readonly Counter<long> _trunkStateChanges;

    public OutboundMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _dials = meter.CreateCounter<long>("calltracking.sip.outbound.dials", description: "Outbound legs started");
        _answered = meter.CreateCounter<long>("calltracking.sip.outbound.answered", description: "Outbound legs answered");
        _failed = meter.CreateCounter<long>("calltracking.sip.outbound.failed", description: "Outbound legs that ended without an answer, by status");
        _failovers = meter.CreateCounter<long>("calltracking.sip.outbound.failovers", description: "INVITEs moved to the next target or trunk, by reason");
        _authentications = meter.CreateCounter<long>("calltracking.sip.outbound.auth_challenges", description: "401/407 challenges answered");
        _dnsErrors = meter.CreateCounter<long>("calltracking.sip.outbound.dns_errors", description: "DNS lookups that failed, by reason");
        _pings = meter.CreateCounter<long>("calltracking.sip.outbound.options_pings", description: "OPTIONS pings to outbound trunks, by result");
        _trunkStateChanges = meter.CreateCounter<long>("calltracking.sip.outbound.trunk_state_changes", description: "Outbound trunks marked up or down");
    }

    public void Dial() => _dials.Add(1);

    public void Answered() => _answered.Add(1);

    public void Failed(int status) => _failed.Add(1, new KeyValuePair<string, object?>("status", status));

    public void Failover(string reason) => _failovers.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void AuthenticationChallenge() => _authentications.Add(1);

    public void DnsError(string reason) => _dnsErrors.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Ping(string result) => _pings.Add(1, new KeyValuePair<string, object?>("result", result));

    public void TrunkStateChanged(TrunkState state) => _trunkStateChanges.Add(1, new KeyValuePair<string, object?>("state", state == TrunkState.Up ? "up" : "down"));
}
