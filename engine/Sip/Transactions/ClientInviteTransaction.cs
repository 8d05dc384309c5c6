using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.1.1.2 INVITE client transaction with the RFC 6026 §7.2 Accepted state:
/// Calling → Proceeding → Completed (non-2xx, ACK sent here) or Accepted (2xx) → Terminated.
/// The ACK for a 2xx is the TU's (RFC 3261 §13.2.2.4), sent as its own request.
/// </summary>
public sealed class ClientInviteTransaction : ClientTransaction
{
    private readonly AckFactory _ackFactory;

    // Guarded by Gate.
    private TimeSpan _interval;
    private ReadOnlyMemory<byte> _ack;

    // Written under Gate; read without it only to skip building the ACK twice.
    private volatile bool _ackBuilt;

    internal ClientInviteTransaction(
        TransactionTable table, TransactionKey key, SipRemote remote, ReadOnlyMemory<byte> request,
        AckFactory ackFactory, object? userState)
        : base(table, key, remote, request, userState, TransactionState.Calling)
    {
        _ackFactory = ackFactory;
    }

    private protected override void OnStart(ref Outcome outcome)
    {
        if (!Send(Request, ref outcome))
        {
            return;
        }

        // RFC 3261 §17.1.1.2: Timer A only on unreliable transports; Timer B always.
        if (!Remote.IsReliable)
        {
            _interval = Timers.TimerA;
            ArmRetransmit(_interval);
        }

        ArmTimeoutOrTerminate(Timers.TimerB, ref outcome);
    }

    internal override bool ReceiveResponse(int statusCode, object? message)
    {
        ValidateStatus(statusCode);

        // The ACK is built from the response by the TU's factory, outside the lock. Built at most
        // once in the usual case; a race between two copies of the first final builds it twice, harmlessly.
        ReadOnlyMemory<byte> ack = default;
        if (statusCode >= 300 && !_ackBuilt)
        {
            ack = _ackFactory(statusCode, message);
        }

        var outcome = default(Outcome);
        lock (Gate)
        {
            switch (CurrentState)
            {
                case TransactionState.Calling or TransactionState.Proceeding when statusCode < 200:
                    // RFC 3261 §17.1.1.2: a provisional stops Timer A (and Timer B, which only guards Calling).
                    SetState(TransactionState.Proceeding);
                    StopRetransmit();
                    StopTimeout();
                    PassUp(statusCode, message, ref outcome);
                    break;
                case TransactionState.Calling or TransactionState.Proceeding when statusCode < 300:
                    // RFC 6026 §7.2: 2xx → Accepted, Timer M; the TU sends the ACK.
                    SetState(TransactionState.Accepted);
                    StopRetransmit();
                    StopTimeout();
                    PassUp(statusCode, message, ref outcome);
                    ArmTimeoutOrTerminate(Timers.TimerM, ref outcome);
                    break;
                case TransactionState.Calling or TransactionState.Proceeding:
                    // RFC 3261 §17.1.1.2/§17.1.1.3: non-2xx final → Completed, ACK it here, Timer D.
                    SetState(TransactionState.Completed);
                    StopRetransmit();
                    StopTimeout();
                    _ack = ack;
                    _ackBuilt = true;
                    PassUp(statusCode, message, ref outcome);
                    if (Send(_ack, ref outcome))
                    {
                        ArmTimeoutOrTerminate(Timers.TimerD(Remote.IsReliable), ref outcome);
                    }

                    break;
                case TransactionState.Completed when statusCode >= 300:
                    // RFC 3261 §17.1.1.2: a retransmitted final is re-ACKed and not passed up.
                    Table.Metrics.RetransmissionAbsorbed();
                    Retransmit(_ack, ref outcome);
                    break;
                case TransactionState.Accepted when statusCode is >= 200 and < 300:
                    // RFC 6026 §7.2: every 2xx (retransmitted or from another fork) goes to the TU.
                    PassUp(statusCode, message, ref outcome);
                    break;
                case TransactionState.Completed or TransactionState.Accepted:
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
        if (CurrentState != TransactionState.Calling || !Retransmit(Request, ref outcome))
        {
            return;
        }

        // RFC 3261 §17.1.1.2: Timer A doubles each time, with no T2 cap.
        _interval = Timers.NextInterval(_interval, capAtT2: false);
        ArmNextRetransmit(due, _interval);
    }

    private protected override void OnTimeoutDue(ref Outcome outcome)
    {
        if (CurrentState == TransactionState.Calling)
        {
            // Timer B: the TU is told of the timeout (RFC 3261 §17.1.1.2).
            Table.Metrics.Timeout("B");
            outcome.Notice = Notice.Timeout;
        }

        // Otherwise Timer D (Completed) or Timer M (Accepted).
        Terminate(ref outcome);
    }
}
