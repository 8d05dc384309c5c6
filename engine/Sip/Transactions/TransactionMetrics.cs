using System.Diagnostics.Metrics;

namespace CallTracking.Engine.Sip.Transactions;

/// <summary>The operator-facing instruments of one <see cref="TransactionTable"/>.</summary>
internal sealed class TransactionMetrics
{
    private readonly Counter<long> _retransmissionsSent;
    private readonly Counter<long> _retransmissionsAbsorbed;
    private readonly Counter<long> _timeouts;
    private readonly Counter<long> _transportErrors;

    public TransactionMetrics(Meter meter, Func<int> activeServer, Func<int> activeClient)
    {
        meter.CreateObservableUpDownCounter(
            "calltracking.sip.transactions.active",
            () => new[]
            {
                new Measurement<int>(activeServer(), new KeyValuePair<string, object?>("side", "server")),
                new Measurement<int>(activeClient(), new KeyValuePair<string, object?>("side", "client")),
            },
            unit: "{transaction}",
            description: "Transactions not yet terminated.");
        _retransmissionsSent = meter.CreateCounter<long>(
            "calltracking.sip.transactions.retransmissions_sent", "{message}",
            "Requests and responses sent again by timers or for absorbed retransmissions.");
        _retransmissionsAbsorbed = meter.CreateCounter<long>(
            "calltracking.sip.transactions.retransmissions_absorbed", "{message}",
            "Retransmitted requests, responses and ACKs handled without the TU.");
        _timeouts = meter.CreateCounter<long>(
            "calltracking.sip.transactions.timeouts", "{transaction}",
            "Transactions ended by Timer B, F, H or by a 2xx never ACKed (timer=L).");
        _transportErrors = meter.CreateCounter<long>(
            "calltracking.sip.transactions.transport_errors", "{transaction}",
            "Transactions ended because the transport refused a message.");
    }

    public void RetransmissionSent() => _retransmissionsSent.Add(1);

    public void RetransmissionAbsorbed() => _retransmissionsAbsorbed.Add(1);

    public void Timeout(string timer) => _timeouts.Add(1, new KeyValuePair<string, object?>("timer", timer));

    public void TransportError() => _transportErrors.Add(1);
}
