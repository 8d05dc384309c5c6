using System.Text;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transactions;

namespace CallTracking.Engine.Sip.Outbound;

public sealed partial class OutboundLeg
{
    // Guarded by _lock; fires once, 64*T1 after our CANCEL.
    private ITimer? _cancelGuard;

    /// <summary>
    /// The caller gave up: CANCEL the INVITE (RFC 3261 §9.1) and report 487. Before any provisional response the
    /// CANCEL waits for one (a CANCEL must not overtake the INVITE); a 2xx that crosses it is ACKed and BYEd.
    /// After the answer this is <see cref="Hangup"/>.
    /// </summary>
    public void Cancel() => CancelWith(487, "Request Terminated");

    private void OnRingTimeout() => CancelWith(408, "No Answer");

    private void CancelWith(int status, string reason)
    {
        bool hangup = false;
        bool sendCancel = false;
        lock (_lock)
        {
            switch (_state)
            {
                case OutboundLegState.Answered:
                    hangup = true;
                    break;
                case OutboundLegState.Ended:
                    return;
                default:
                    _cancelRequested = true;
                    sendCancel = _provisional && !_cancelSent && _attempt is not null;
                    _cancelSent |= sendCancel;
                    break;
            }
        }

        if (hangup)
        {
            Hangup();
            return;
        }

        if (sendCancel)
        {
            SendCancel();
        }

        ReportFailure(status, reason);
    }

    /// <summary>RFC 3261 §9.1: CANCEL copies the INVITE's Request-URI, top Via, From, To, Call-ID and CSeq number.</summary>
    private void SendCancel()
    {
        Attempt? attempt;
        lock (_lock)
        {
            attempt = _attempt;
        }

        if (attempt is null)
        {
            return;
        }

        var cancel = Encoding.ASCII.GetBytes(
            $"CANCEL {attempt.RequestUri} SIP/2.0\r\nVia: {attempt.Via}\r\nMax-Forwards: 70\r\nFrom: {attempt.From}\r\nTo: {attempt.To}\r\n" +
            $"Call-ID: {CallId}\r\nCSeq: {attempt.CSeq} CANCEL\r\nUser-Agent: {_dialer.Options.UserAgent}\r\nContent-Length: 0\r\n\r\n");
        try
        {
            _dialer.Transactions.StartClientNonInvite(Encoding.ASCII.GetBytes(attempt.Branch), SipMethod.Cancel, attempt.Remote, cancel, this);
            lock (_lock)
            {
                // RFC 3261 §9.1: no final response 64*T1 after the CANCEL and the INVITE is given up.
                _cancelGuard = _dialer.Time.CreateTimer(
                    static state =>
                    {
                        var (leg, invite) = ((OutboundLeg, ClientInviteTransaction?))state!;
                        if (invite is { State: TransactionState.Calling or TransactionState.Proceeding })
                        {
                            leg._dialer.Transactions.Discard(invite);
                        }
                    },
                    (this, attempt.Transaction),
                    _dialer.Timers.TimerB,
                    Timeout.InfiniteTimeSpan);
            }
        }
        catch (InvalidOperationException)
        {
            // A CANCEL for this INVITE already exists.
        }
    }
}
