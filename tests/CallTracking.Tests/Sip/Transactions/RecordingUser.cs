using CallTracking.Engine.Sip.Transactions;

namespace CallTracking.Tests.Sip.Transactions;

/// <summary>An <see cref="ITransactionUser"/> that records every notification as text with its time.</summary>
internal sealed class RecordingUser(Func<long> nowMs) : ITransactionUser
{
    private readonly Lock _gate = new();
    private readonly List<(string Event, long AtMs, SipTransaction Transaction, object? Message)> _events = [];

    public IReadOnlyList<(string Event, long AtMs, SipTransaction Transaction, object? Message)> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    public string[] Names => Events.Select(e => e.Event).ToArray();

    public long[] TimesOf(string name) => Events.Where(e => e.Event == name).Select(e => e.AtMs).ToArray();

    public void OnResponse(ClientTransaction transaction, int statusCode, object? message)
        => Record($"response {statusCode}", transaction, message);

    public void OnAckFor2xx(ServerInviteTransaction transaction, object? ack) => Record("ack", transaction, ack);

    public void OnNoAckFor2xx(ServerInviteTransaction transaction) => Record("no-ack", transaction, null);

    public void OnTimeout(SipTransaction transaction) => Record("timeout", transaction, null);

    public void OnTransportError(SipTransaction transaction) => Record("transport-error", transaction, null);

    private void Record(string name, SipTransaction transaction, object? message)
    {
        // The layer promises never to call the TU under a transaction lock: State takes that lock, so
        // reading it from another thread would block if the promise were broken.
        if (!Task.Run(() => transaction.State).Wait(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException($"{name} was delivered while the transaction lock was held.");
        }

        lock (_gate)
        {
            _events.Add((name, nowMs(), transaction, message));
        }
    }
}
