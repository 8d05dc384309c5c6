using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// Holds every live transaction, matches received messages to them (RFC 3261 §17.1.3, §17.2.3) and
/// creates new ones for the core. Thread-safe; lookups allocate nothing. Transactions remove
/// themselves when they reach Terminated.
/// </summary>
/// <remarks>
/// Request path (transport → parser → core): build a <see cref="TransactionKeyView"/> from the top
/// Via's branch and sent-by and the method, call <see cref="ReceiveRequest"/>. On
/// <see cref="RequestDisposition.NoMatch"/> the core handles the request: for a new INVITE or
/// non-INVITE it calls <see cref="CreateServerInvite"/>/<see cref="CreateServerNonInvite"/> (which
/// absorb the request instead if a copy won the race), for CANCEL it uses
/// <see cref="TryFindInviteForCancel"/>, for ACK it routes by dialog (ACK for a 2xx).
/// Response path: <see cref="ReceiveResponse"/> with the top Via branch and the CSeq method.
/// </remarks>
public sealed class TransactionTable : IDisposable
{
    private readonly ConcurrentDictionary<TransactionKey, ServerTransaction> _server;
    private readonly ConcurrentDictionary<TransactionKey, ClientTransaction> _client;
    private readonly ConcurrentDictionary<TransactionKey, ServerTransaction>.AlternateLookup<TransactionKeyView> _serverLookup;
    private readonly ConcurrentDictionary<TransactionKey, ClientTransaction>.AlternateLookup<TransactionKeyView> _clientLookup;
    private int _serverCount;
    private int _clientCount;

    public TransactionTable(
        ISipSender sender, ITransactionUser user, TimeProvider timeProvider, SipTimerSettings settings, Meter meter)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(meter);
        Sender = sender;
        User = user;
        TimeProvider = timeProvider;
        Settings = settings;
        _server = new ConcurrentDictionary<TransactionKey, ServerTransaction>(TransactionKeyComparer.Instance);
        _client = new ConcurrentDictionary<TransactionKey, ClientTransaction>(TransactionKeyComparer.Instance);
        _serverLookup = _server.GetAlternateLookup<TransactionKeyView>();
        _clientLookup = _client.GetAlternateLookup<TransactionKeyView>();
        Metrics = new TransactionMetrics(meter, () => Volatile.Read(ref _serverCount), () => Volatile.Read(ref _clientCount));
    }

    public SipTimerSettings Settings { get; }

    /// <summary>Live server transactions.</summary>
    public int ServerCount => Volatile.Read(ref _serverCount);

    /// <summary>Live client transactions.</summary>
    public int ClientCount => Volatile.Read(ref _clientCount);

    internal ISipSender Sender { get; }

    internal ITransactionUser User { get; }

    internal TimeProvider TimeProvider { get; }

    internal TransactionMetrics Metrics { get; }

    /// <summary>
    /// A request arrived. Retransmissions are absorbed (the last response is re-sent, RFC 3261 §17.2.1,
    /// §17.2.2); an ACK is matched to the INVITE transaction with the same branch and sent-by.
    /// </summary>
    /// <param name="key">Top Via branch and sent-by, and the request's method.</param>
    /// <param name="message">The core's parsed request, passed through to <see cref="ITransactionUser.OnAckFor2xx"/>.</param>
    public RequestDisposition ReceiveRequest(in TransactionKeyView key, object? message)
    {
        if (key.Method == SipMethod.Ack)
        {
            // RFC 3261 §17.2.3: an ACK matches the INVITE that created the transaction.
            return _serverLookup.TryGetValue(key.WithMethod(SipMethod.Invite), out var invite)
                ? ((ServerInviteTransaction)invite).ReceiveAck(message)
                : RequestDisposition.NoMatch;
        }

        if (!_serverLookup.TryGetValue(key, out var transaction))
        {
            return RequestDisposition.NoMatch;
        }

        transaction.AbsorbRetransmission();
        return RequestDisposition.Absorbed;
    }

    /// <summary>
    /// Creates the INVITE server transaction for a new INVITE. If another copy of the same INVITE registered
    /// one first, that one is returned, the copy is absorbed, and <paramref name="created"/> is false.
    /// </summary>
    /// <param name="trying">Pre-built 100 Trying, sent if the TU sends no provisional within 200 ms
    /// (RFC 3261 §17.2.1); empty to never send one.</param>
    public ServerInviteTransaction CreateServerInvite(
        in TransactionKeyView key, in SipRemote remote, ReadOnlyMemory<byte> trying, object? userState, out bool created)
    {
        if (key.Method != SipMethod.Invite)
        {
            ThrowWrongMethod(key.Method);
        }

        var stored = TransactionKey.Create(key);
        var transaction = new ServerInviteTransaction(this, stored, remote, trying, userState);
        return (ServerInviteTransaction)AddServer(transaction, out created);
    }

    /// <summary>Creates the server transaction for a new non-INVITE request (CANCEL included); see
    /// <see cref="CreateServerInvite"/> for <paramref name="created"/>.</summary>
    public ServerNonInviteTransaction CreateServerNonInvite(
        in TransactionKeyView key, in SipRemote remote, object? userState, out bool created)
    {
        if (key.Method is SipMethod.Invite or SipMethod.Ack)
        {
            ThrowWrongMethod(key.Method);
        }

        var stored = TransactionKey.Create(key);
        var transaction = new ServerNonInviteTransaction(this, stored, remote, userState);
        return (ServerNonInviteTransaction)AddServer(transaction, out created);
    }

    /// <summary>
    /// RFC 3261 §9.2: the INVITE server transaction a CANCEL targets (same branch and sent-by, method INVITE).
    /// If <see cref="ServerTransaction.HasSentFinalResponse"/> is true the CANCEL only gets its 200; otherwise
    /// the core sends 487 through <see cref="ServerTransaction.SendFinalResponse"/>, which returns false if
    /// the TU's final won the race.
    /// </summary>
    public bool TryFindInviteForCancel(in TransactionKeyView cancelKey, [NotNullWhen(true)] out ServerInviteTransaction? invite)
    {
        if (_serverLookup.TryGetValue(cancelKey.WithMethod(SipMethod.Invite), out var transaction))
        {
            invite = (ServerInviteTransaction)transaction;
            return true;
        }

        invite = null;
        return false;
    }

    /// <summary>
    /// Creates an INVITE client transaction and sends <paramref name="request"/>. <paramref name="branch"/>
    /// is the top Via branch the core put in the request and must be unique. A transport error during the
    /// first send is reported through <see cref="ITransactionUser.OnTransportError"/> before this returns.
    /// </summary>
    public ClientInviteTransaction StartClientInvite(
        ReadOnlySpan<byte> branch, in SipRemote remote, ReadOnlyMemory<byte> request, AckFactory ackFactory, object? userState)
    {
        ArgumentNullException.ThrowIfNull(ackFactory);
        var key = TransactionKey.Create(TransactionKeyView.ForClient(branch, SipMethod.Invite));
        var transaction = new ClientInviteTransaction(this, key, remote, request, ackFactory, userState);
        AddClient(transaction);
        return transaction;
    }

    /// <summary>Creates a non-INVITE client transaction (CANCEL included) and sends <paramref name="request"/>;
    /// see <see cref="StartClientInvite"/>.</summary>
    public ClientNonInviteTransaction StartClientNonInvite(
        ReadOnlySpan<byte> branch, SipMethod method, in SipRemote remote, ReadOnlyMemory<byte> request, object? userState)
    {
        if (method is SipMethod.Invite or SipMethod.Ack)
        {
            ThrowWrongMethod(method);
        }

        var key = TransactionKey.Create(TransactionKeyView.ForClient(branch, method));
        var transaction = new ClientNonInviteTransaction(this, key, remote, request, userState);
        AddClient(transaction);
        return transaction;
    }

    /// <summary>
    /// A response arrived. Returns false when no client transaction matches (RFC 3261 §17.1.3): the core
    /// handles it as stray (a 2xx retransmission after Timer M goes to the dialog, others are dropped).
    /// </summary>
    /// <param name="key">Top Via branch and the CSeq method (<see cref="TransactionKeyView.ForClient"/>).</param>
    /// <param name="message">The core's parsed response, passed through to <see cref="ITransactionUser.OnResponse"/>
    /// and to the <see cref="AckFactory"/>.</param>
    public bool ReceiveResponse(in TransactionKeyView key, int statusCode, object? message)
        => _clientLookup.TryGetValue(key, out var transaction) && transaction.ReceiveResponse(statusCode, message);

    /// <summary>
    /// Ends a client transaction without notifying the TU. RFC 3261 §9.1: an INVITE whose CANCEL brought no final
    /// response within 64*T1 is considered cancelled and destroyed (in Proceeding no timer would ever end it).
    /// </summary>
    public void Discard(ClientTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        transaction.Abandon();
        Forget(transaction);
    }

    /// <summary>Stops every transaction's timer without notifying the TU (shutdown).</summary>
    public void Dispose()
    {
        foreach (var pair in _server)
        {
            pair.Value.Abandon();
        }

        foreach (var pair in _client)
        {
            pair.Value.Abandon();
        }

        _server.Clear();
        _client.Clear();
        Volatile.Write(ref _serverCount, 0);
        Volatile.Write(ref _clientCount, 0);
    }

    /// <summary>Called once by a transaction that reached Terminated.</summary>
    internal void Forget(SipTransaction transaction)
    {
        if (transaction is ServerTransaction server)
        {
            if (_server.TryRemove(new KeyValuePair<TransactionKey, ServerTransaction>(server.Key, server)))
            {
                Interlocked.Decrement(ref _serverCount);
            }
        }
        else if (_client.TryRemove(new KeyValuePair<TransactionKey, ClientTransaction>(transaction.Key, (ClientTransaction)transaction)))
        {
            Interlocked.Decrement(ref _clientCount);
        }
    }

    private ServerTransaction AddServer(ServerTransaction transaction, out bool created)
    {
        while (true)
        {
            if (_server.TryAdd(transaction.Key, transaction))
            {
                Interlocked.Increment(ref _serverCount);
                created = true;
                transaction.Start();
                return transaction;
            }

            if (_server.TryGetValue(transaction.Key, out var existing))
            {
                // RFC 3261 §17.2.3: a copy of the request that raced the first one is a retransmission.
                transaction.Abandon();
                existing.AbsorbRetransmission();
                created = false;
                return existing;
            }

            // The winner terminated between TryAdd and TryGetValue: try again.
        }
    }

    private void AddClient(ClientTransaction transaction)
    {
        if (!_client.TryAdd(transaction.Key, transaction))
        {
            transaction.Abandon();
            ThrowDuplicateBranch(transaction.Key);
        }

        Interlocked.Increment(ref _clientCount);
        transaction.Start();
    }

    [DoesNotReturn]
    private static void ThrowWrongMethod(SipMethod method)
        => throw new ArgumentException($"A {method} request cannot create this kind of transaction.", nameof(method));

    [DoesNotReturn]
    private static void ThrowDuplicateBranch(TransactionKey key)
        => throw new InvalidOperationException($"A client transaction with key {key} already exists; branches must be unique.");
}
