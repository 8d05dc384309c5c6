using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Transactions;

/// <summary>RFC 3261 §17.1.2.2 non-INVITE client transaction: Trying → Proceeding → Completed → Terminated.</summary>
public sealed class ClientNonInviteTransaction : ClientTransaction
{
    // Guarded by Gate.
    private TimeSpan _interval;

    internal ClientNonInviteTransaction(
        TransactionTable table, TransactionKey key, SipRemote remote, ReadOnlyMemory<byte> request, object? userState)
        : base(table, key, remote, request, userState, TransactionState.Trying)
    {
    }

    private protected override void OnStart(ref Outcome outcome)
    {
        if (!Send(Request, ref outcome))
        {
            return;
        }

        // RFC 3261 §17.1.2.2: Timer E only on unreliable transports; Timer F always.
        if (!Remote.IsReliable)
        {
            _interval = Timers.TimerE;
            ArmRetransmit(_interval);
        }

        ArmTimeoutOrTerminate(Timers.TimerF, ref outcome);
    }

    internal override bool ReceiveResponse(int statusCode, object? message)
    {
        ValidateStatus(statusCode);
        var outcome = default(Outcome);
        lock (Gate)
        {
            switch (CurrentState)
            {
                case TransactionState.Trying or TransactionState.Proceeding when statusCode < 200:
                    // Timer E keeps running; from now on it is reset to T2 each time it fires.
                    SetState(TransactionState.Proceeding);
                    PassUp(statusCode, message, ref outcome);
                    break;
                case TransactionState.Trying or TransactionState.Proceeding:
                    // RFC 3261 §17.1.2.2: final response → Completed, Timer K (T4, 0 when reliable).
                    SetState(TransactionState.Completed);
                    StopRetransmit();
                    StopTimeout();
                    PassUp(statusCode, message, ref outcome);
                    ArmTimeoutOrTerminate(Timers.TimerK(Remote.IsReliable), ref outcome);
                    break;
                case TransactionState.Completed:
                    // RFC 3261 §17.1.2.2: retransmitted responses are absorbed in Completed.
                    Table.Metrics.RetransmissionAbsorbed();
                    break;
                default:
                    return false;
            }

            Rearm();
        }

        Dispatch(in outcome);
        return true;
    }

    private protected override void OnRetransmitDue(TimeSpan due, ref Outcome outcome)
    {
        var state = CurrentState;
        if (state is not (TransactionState.Trying or TransactionState.Proceeding))
        {
            return;
        }

        if (!Retransmit(Request, ref outcome))
        {
            return;
        }

        // RFC 3261 §17.1.2.2: Timer E doubles up to T2 in Trying; in Proceeding it is reset to T2.
        _interval = state == TransactionState.Trying ? Timers.NextInterval(_interval, capAtT2: true) : Timers.T2;
        ArmNextRetransmit(due, _interval);
    }

    private protected override void OnTimeoutDue(ref Outcome outcome)
    {
        if (CurrentState is TransactionState.Trying or TransactionState.Proceeding)
        {
            // Timer F: no final response; the TU is told of the timeout (RFC 3261 §17.1.2.2).
            Table.Metrics.Timeout("F");
            outcome.Notice = Notice.Timeout;
        }

        // Otherwise Timer K in Completed.
        Terminate(ref outcome);
    }
}
