using System.Diagnostics.Metrics;

namespace CallTracking.Engine.Sip.Core;

/// <summary>What an operator watches at the call level: rejections by reason, calls by outcome, calls up now.</summary>
public sealed class SipCoreMetrics
{
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _callsStarted;
    private readonly Counter<long> _callsEnded;
    private readonly UpDownCounter<long> _callsActive;
    private readonly Counter<long> _strayResponses;

    public SipCoreMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _rejections = meter.CreateCounter<long>("calltracking.sip.requests.rejected", "{request}", "Requests answered with an error, by reason");
        _callsStarted = meter.CreateCounter<long>("calltracking.calls.started", "{call}", "Calls accepted for a tracking number");
        _callsEnded = meter.CreateCounter<long>("calltracking.calls.ended", "{call}", "Calls ended, by reason");
        _callsActive = meter.CreateUpDownCounter<long>("calltracking.calls.active", "{call}", "Calls ringing or answered now");
        _strayResponses = meter.CreateCounter<long>("calltracking.sip.responses.stray", "{response}", "Responses that matched no transaction");
    }

    /// <param name="reason">A short snake_case reason: forbidden, not_found, bad_request, too_many_hops …</param>
    public void Rejected(string reason) => _rejections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void CallStarted()
    {
        _callsStarted.Add(1);
        _callsActive.Add(1);
    }

    public void CallEnded(string reason)
    {
        _callsEnded.Add(1, new KeyValuePair<string, object?>("reason", reason));
        _callsActive.Add(-1);
    }

    public void StrayResponse() => _strayResponses.Add(1);
}
