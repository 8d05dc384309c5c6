using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.2.1 INVITE server transaction with the RFC 6026 §7.1 Accepted state:
/// Proceeding → Completed (non-2xx) → Confirmed → Terminated, or Proceeding → Accepted (2xx) → Terminated.
/// </summary>
/// <remarks>
/// The 2xx retransmission of RFC 3261 §13.3.1.4 (T1 doubling, capped at T2, on every transport because
/// the ACK is end-to-end) is done here in the Accepted state so the UAS core stays simple. An ACK for a
/// 2xx normally carries a new branch and does not match this transaction by key; the core that routes
/// it to the dialog hands it to <see cref="ReceiveAck"/> of the transaction it answered through.
/// </remarks>
public sealed class ServerInviteTransaction : ServerTransaction
{
    private readonly ReadOnlyMemory<byte> _trying;

    // Guarded by Gate.
    private ReadOnlyMemory<byte> _lastResponse;
    private bool _sentAnyResponse;
    private TimeSpan _interval;
    private bool _acked;

    internal ServerInviteTransaction(
        TransactionTable table, TransactionKey key, SipRemote remote, ReadOnlyMemory<byte> trying, object? userState)
        : base(table, key, remote, userState, TransactionState.Proceeding)
    {
        _trying = trying;
    }

    public override bool HasSentFinalResponse => State != TransactionState.Proceeding;

    /// <summary>An ACK for the final response. The table calls this for ACKs that match the key (the ACK for
    /// a non-2xx, RFC 3261 §17.2.3); the core calls it for an ACK for a 2xx it matched by dialog.</summary>
    /// <returns><see cref="RequestDisposition.AckPassedToUser"/> for the first ACK of a 2xx (the TU's
    /// <see cref="ITransactionUser.OnAckFor2xx"/> has run), <see cref="RequestDisposition.NoMatch"/> when
    /// the transaction has terminated, <see cref="RequestDisposition.Absorbed"/> otherwise.</returns>
    public RequestDisposition ReceiveAck(object? ack)
    {
        var outcome = default(Outcome);
        RequestDisposition disposition;
        lock (Gate)
        {
            switch (CurrentState)
            {
                case TransactionState.Completed:
                    // RFC 3261 §17.2.1: ACK stops Timer G and H; Confirmed absorbs further ACKs until Timer I.
                    SetState(TransactionState.Confirmed);
                    StopRetransmit();
                    StopTimeout();
                    ArmTimeoutOrTerminate(Timers.TimerI(Remote.IsReliable), ref outcome);
                    disposition = RequestDisposition.Absorbed;
                    break;
                case TransactionState.Accepted when !_acked:
                    // RFC 6026 §7.1: the ACK for a 2xx goes to the TU; it also ends the 2xx retransmission
                    // (RFC 3261 §13.3.1.4). The transaction stays until Timer L to absorb INVITE copies.
                    _acked = true;
                    StopRetransmit();
                    outcome.Notice = Notice.AckFor2xx;
                    outcome.Message = ack;
                    disposition = RequestDisposition.AckPassedToUser;
                    break;
                case TransactionState.Terminated:
                    return RequestDisposition.NoMatch;
                default:
                    Table.Metrics.RetransmissionAbsorbed();
                    disposition = RequestDisposition.Absorbed;
                    break;
            }

            Rearm();
        }

        Dispatch(in outcome);
        return disposition;
    }

    public override bool SendProvisionalResponse(ReadOnlyMemory<byte> response)
    {
        var outcome = default(Outcome);
        lock (Gate)
        {
            if (CurrentState != TransactionState.Proceeding)
            {
                return false;
            }

            // The TU spoke first: no automatic 100 Trying any more.
            StopRetransmit();
            _lastResponse = response;
            _sentAnyResponse = true;
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
            if (CurrentState != TransactionState.Proceeding)
            {
                return false;
            }

            StopRetransmit();
            _lastResponse = response;
            _sentAnyResponse = true;
            if (statusCode < 300)
            {
                // RFC 6026 §7.1: 2xx → Accepted, Timer L. RFC 3261 §13.3.1.4: retransmit the 2xx at T1,
                // doubling up to T2, until the ACK (Timer H's 64*T1 equals Timer L).
                SetState(TransactionState.Accepted);
                if (Send(response, ref outcome))
                {
                    _interval = Timers.T1;
                    ArmRetransmit(_interval);
                    ArmTimeoutOrTerminate(Timers.TimerL, ref outcome);
                }
            }
            else
            {
                // RFC 3261 §17.2.1: non-2xx → Completed; Timer G over UDP, Timer H always.
                SetState(TransactionState.Completed);
                if (Send(response, ref outcome))
                {
                    if (!Remote.IsReliable)
                    {
                        _interval = Timers.TimerG;
                        ArmRetransmit(_interval);
                    }

                    ArmTimeoutOrTerminate(Timers.TimerH, ref outcome);
                }
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
            switch (CurrentState)
            {
                // RFC 3261 §17.2.1: in Proceeding re-send the last provisional, in Completed the final.
                case TransactionState.Proceeding when _sentAnyResponse:
                case TransactionState.Completed:
                // RFC 6026 §7.1 only absorbs INVITE copies in Accepted; re-sending the un-ACKed 2xx as
                // well answers a peer that evidently lost it.
                case TransactionState.Accepted when !_acked:
                    Retransmit(_lastResponse, ref outcome);
                    break;
                default:
                    break;
            }

            Rearm();
        }

        Dispatch(in outcome);
    }

    private protected override void OnStart(ref Outcome outcome)
    {
        // RFC 3261 §17.2.1: 100 Trying unless the TU sends a provisional within 200 ms.
        if (!_trying.IsEmpty)
        {
            ArmRetransmit(SipTimerSettings.TryingDelay);
        }
    }

    private protected override void OnRetransmitDue(TimeSpan due, ref Outcome outcome)
    {
        switch (CurrentState)
        {
            case TransactionState.Proceeding when !_sentAnyResponse:
                _lastResponse = _trying;
                _sentAnyResponse = true;
                Send(_trying, ref outcome);
                break;
            case TransactionState.Completed:
            case TransactionState.Accepted when !_acked:
                // Timer G (non-2xx, UDP) or the 2xx retransmission: T1 doubling, capped at T2.
                if (Retransmit(_lastResponse, ref outcome))
                {
                    _interval = Timers.NextInterval(_interval, capAtT2: true);
                    ArmNextRetransmit(due, _interval);
                }

                break;
            default:
                break;
        }
    }

    private protected override void OnTimeoutDue(ref Outcome outcome)
    {
        switch (CurrentState)
        {
            case TransactionState.Completed:
                // Timer H: the ACK never came (RFC 3261 §17.2.1).
                Table.Metrics.Timeout("H");
                outcome.Notice = Notice.Timeout;
                break;
            case TransactionState.Accepted when !_acked:
                // Timer L with the 2xx never ACKed: RFC 3261 §13.3.1.4, the TU should end the session.
                Table.Metrics.Timeout("L");
                outcome.Notice = Notice.NoAckFor2xx;
                break;
            default:
                // Timer I (Confirmed) or Timer L after the ACK.
                break;
        }

        Terminate(ref outcome);
    }
}
