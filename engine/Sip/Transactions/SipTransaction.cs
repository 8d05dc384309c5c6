using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// Common machinery of the four RFC 3261 §17 state machines: one lock per transaction, one
/// <see cref="ITimer"/> re-armed to the earliest of two deadlines (a retransmit slot: A, E, G, the
/// 2xx retransmit, or the 200 ms 100 Trying; and a timeout slot: B, D, F, H, I, J, K, L, M), and
/// the rule that the TU is called only after the lock is released.
/// </summary>
/// <remarks>
/// Deadlines are kept as elapsed time since creation and the next retransmission is scheduled from
/// the deadline that fired, not from when the callback ran, so a late timer does not stretch the
/// RFC schedule. Messages handed to the transaction (requests, responses, ACKs) are kept by
/// reference until the transaction terminates; their owners must not reuse the memory before that.
/// </remarks>
public abstract class SipTransaction
{
    private protected static readonly TimeSpan Never = TimeSpan.MaxValue;

    /// <summary>Guards the state, the deadlines and every mutable field of the derived machines.</summary>
    private protected readonly Lock Gate = new();

    private protected readonly TransactionTable Table;

    private readonly ITimer _timer;
    private readonly long _createdTimestamp;

    // All below: guarded by Gate.
    private TransactionState _state;
    private TimeSpan _retransmitDue = Never;
    private TimeSpan _timeoutDue = Never;
    private TimeSpan _armedFor = Never;

    private protected SipTransaction(
        TransactionTable table, TransactionKey key, SipRemote remote, object? userState, TransactionState initial)
    {
        Table = table;
        Key = key;
        Remote = remote;
        UserState = userState;
        _state = initial;
        _createdTimestamp = table.TimeProvider.GetTimestamp();
        _timer = table.TimeProvider.CreateTimer(
            static s => ((SipTransaction)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TransactionKey Key { get; }

    public SipMethod Method => Key.Method;

    /// <summary>Where responses (server) or requests (client) are sent.</summary>
    public SipRemote Remote { get; }

    /// <summary>Whatever the TU attached when it created the transaction (its call leg, for example).</summary>
    public object? UserState { get; }

    public TransactionState State
    {
        get
        {
            lock (Gate)
            {
                return _state;
            }
        }
    }

    public abstract bool IsServer { get; }

    /// <summary>Current state; caller holds <see cref="Gate"/>.</summary>
    private protected TransactionState CurrentState => _state;

    /// <summary>Elapsed time since creation, the clock all deadlines use.</summary>
    private protected TimeSpan Now => Table.TimeProvider.GetElapsedTime(_createdTimestamp);

    private protected SipTimerSettings Timers => Table.Settings;

    private protected enum Notice : byte
    {
        None,
        Response,
        Timeout,
        AckFor2xx,
        NoAckFor2xx,
    }

    /// <summary>What to tell the TU and the table once the lock is released.</summary>
    private protected struct Outcome
    {
        public Notice Notice;
        public int StatusCode;
        public object? Message;
        public bool TransportError;
        public bool Terminated;
    }

    public override string ToString() => $"{GetType().Name} {Key} {State}";

    /// <summary>Called by the table once the transaction is registered; sends/arms what the initial state needs.</summary>
    internal void Start()
    {
        var outcome = default(Outcome);
        lock (Gate)
        {
            OnStart(ref outcome);
            Rearm();
        }

        Dispatch(in outcome);
    }

    /// <summary>Stops the timer without telling anyone (table disposal, or a registration that lost a race).</summary>
    internal void Abandon()
    {
        lock (Gate)
        {
            _state = TransactionState.Terminated;
            _timer.Dispose();
        }
    }

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    private protected abstract void OnStart(ref Outcome outcome);

    /// <summary>The retransmit slot fired at <paramref name="due"/>; caller holds <see cref="Gate"/>.</summary>
    private protected abstract void OnRetransmitDue(TimeSpan due, ref Outcome outcome);

    /// <summary>The timeout slot fired; caller holds <see cref="Gate"/>.</summary>
    private protected abstract void OnTimeoutDue(ref Outcome outcome);

    private protected void SetState(TransactionState state) => _state = state;

    private protected void ArmRetransmit(TimeSpan after) => _retransmitDue = Now + after;

    /// <summary>Schedules the next retransmission <paramref name="interval"/> after the deadline that
    /// fired; if the callback ran so late that this is already past, from now instead (no bursts).</summary>
    private protected void ArmNextRetransmit(TimeSpan firedDue, TimeSpan interval)
    {
        var now = Now;
        var due = firedDue + interval;
        _retransmitDue = due > now ? due : now + interval;
    }

    private protected void StopRetransmit() => _retransmitDue = Never;

    private protected void StopTimeout() => _timeoutDue = Never;

    /// <summary>Arms the timeout slot; a zero wait (Timers D, I, J, K on reliable transports) terminates now.</summary>
    private protected void ArmTimeoutOrTerminate(TimeSpan after, ref Outcome outcome)
    {
        if (after <= TimeSpan.Zero)
        {
            Terminate(ref outcome);
            return;
        }

        _timeoutDue = Now + after;
    }

    private protected void Terminate(ref Outcome outcome)
    {
        if (_state == TransactionState.Terminated)
        {
            return;
        }

        _state = TransactionState.Terminated;
        _retransmitDue = Never;
        _timeoutDue = Never;
        _timer.Dispose();
        outcome.Terminated = true;
    }

    /// <summary>Sends under the lock so that retransmissions and TU sends keep their order. A refused send
    /// is a transport error (RFC 3261 §17.1.4, §17.2.4): the transaction terminates and the TU is told.</summary>
    private protected bool Send(ReadOnlyMemory<byte> message, ref Outcome outcome)
    {
        if (Table.Sender.TrySend(message, Remote))
        {
            return true;
        }

        Table.Metrics.TransportError();
        outcome.TransportError = true;
        Terminate(ref outcome);
        return false;
    }

    private protected bool Retransmit(ReadOnlyMemory<byte> message, ref Outcome outcome)
    {
        Table.Metrics.RetransmissionSent();
        return Send(message, ref outcome);
    }

    /// <summary>Points the single timer at the earliest deadline; caller holds <see cref="Gate"/>.</summary>
    private protected void Rearm()
    {
        if (_state == TransactionState.Terminated)
        {
            return;
        }

        var earliest = _retransmitDue < _timeoutDue ? _retransmitDue : _timeoutDue;
        if (earliest == _armedFor)
        {
            return;
        }

        _armedFor = earliest;
        if (earliest == Never)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var wait = earliest - Now;
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Runs after the lock is released: first the table forgets a terminated transaction, then the TU hears.</summary>
    private protected void Dispatch(in Outcome outcome)
    {
        if (outcome.Terminated)
        {
            Table.Forget(this);
        }

        var user = Table.User;
        switch (outcome.Notice)
        {
            case Notice.Response:
                user.OnResponse((ClientTransaction)this, outcome.StatusCode, outcome.Message);
                break;
            case Notice.Timeout:
                user.OnTimeout(this);
                break;
            case Notice.AckFor2xx:
                user.OnAckFor2xx((ServerInviteTransaction)this, outcome.Message);
                break;
            case Notice.NoAckFor2xx:
                user.OnNoAckFor2xx((ServerInviteTransaction)this);
                break;
            case Notice.None:
                break;
        }

        if (outcome.TransportError)
        {
            user.OnTransportError(this);
        }
    }

    private void OnTimer()
    {
        var outcome = default(Outcome);
        lock (Gate)
        {
            _armedFor = Never;
            var now = Now;
            while (_state != TransactionState.Terminated)
            {
                if (_timeoutDue <= now && _timeoutDue <= _retransmitDue)
                {
                    // A timeout wins a tie: nothing is retransmitted at the instant a transaction gives up.
                    _timeoutDue = Never;
                    OnTimeoutDue(ref outcome);
                }
                else if (_retransmitDue <= now)
                {
                    var due = _retransmitDue;
                    _retransmitDue = Never;
                    OnRetransmitDue(due, ref outcome);
                }
                else
                {
                    break;
                }
            }

            Rearm();
        }

        Dispatch(in outcome);
    }
}
