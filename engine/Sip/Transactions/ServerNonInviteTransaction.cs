using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.2.2 non-INVITE server transaction: Trying → Proceeding → Completed → Terminated.
/// CANCEL gets one of these too (its own transaction, method CANCEL).
/// </summary>
public sealed class ServerNonInviteTransaction : ServerTransaction
{
    // Guarded by Gate.
    private ReadOnlyMemory<byte> _lastResponse;

    internal ServerNonInviteTransaction(TransactionTable table, TransactionKey key, SipRemote remote, object? userState)
        : base(table, key, remote, userState, TransactionState.Trying)
    {
    }

    public override bool HasSentFinalResponse
        => State is TransactionState.Completed or TransactionState.Terminated;

    public override bool SendProvisionalResponse(ReadOnlyMemory<byte> response)
    {
        var outcome = default(Outcome);
        lock (Gate)
        {
            if (CurrentState is not (TransactionState.Trying or TransactionState.Proceeding))
            {
                return false;
            }

            SetState(TransactionState.Proceeding);
            _lastResponse = response;
            Send(response, ref outcome);
            Rearm();
        }

        Dispatch(in outcome);
        return !outcome.TransportError;
    }

    public override bool SendFinalResponse(int statusCode, ReadOnlyMemory<byte> response)
    {
        ValidateFinal(statusCode);
        var outcome = default(Outcome);
        lock (Gate)
        {
            if (CurrentState is not (TransactionState.Trying or TransactionState.Proceeding))
            {
                return false;
            }

            // RFC 3261 §17.2.2: final response → Completed, Timer J (64*T1, 0 when reliable).
            SetState(TransactionState.Completed);
            _lastResponse = response;
            if (Send(response, ref outcome))
            {
                ArmTimeoutOrTerminate(Timers.TimerJ(Remote.IsReliable), ref outcome);
            }

            Rearm();
        }

        Dispatch(in outcome);
        return !outcome.TransportError;
    }

    internal override void AbsorbRetransmission()
    {
        var outcome = default(Outcome);
        lock (Gate)
        {
            Table.Metrics.RetransmissionAbsorbed();

            // RFC 3261 §17.2.2: in Trying the retransmission is discarded; in Proceeding and Completed the
            // last response is sent again.
            if (CurrentState is TransactionState.Proceeding or TransactionState.Completed)
            {
                Retransmit(_lastResponse, ref outcome);
            }

            Rearm();
        }

        Dispatch(in outcome);
    }

    private protected override void OnStart(ref Outcome outcome)
    {
        // Nothing to send or arm: the TU answers. RFC 3261 gives this machine no timer before Completed.
    }

    private protected override void OnRetransmitDue(TimeSpan due, ref Outcome outcome)
    {
        // Never armed: responses are only re-sent when the request is retransmitted.
    }

    private protected override void OnTimeoutDue(ref Outcome outcome) => Terminate(ref outcome); // Timer J
}
