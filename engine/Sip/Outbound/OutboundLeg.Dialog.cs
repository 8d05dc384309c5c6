using System.Text;
using CallTracking.Engine.Sip.Dialogs;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Outbound;

public sealed partial class OutboundLeg
{
    // Guarded by _lock.
    private Dialog? _dialog;
    private SipRemote _peer;
    private SipListener? _listener;
    private ReadOnlyMemory<byte> _lastAck;
    private ReadOnlyMemory<byte> _localSdp;
    private ClientInviteTransaction? _reinvite;
    private ServerInviteTransaction? _incomingReinvite;
    private bool _byeSent;
    private bool _endReported;
    private readonly HashSet<uint> _reinviteAnswered = [];

    /// <summary>After the answer: BYE (RFC 3261 §15.1.1); <see cref="IOutboundLegObserver.OnEnded"/> follows when it is
    /// answered or times out. Before the answer this is <see cref="Cancel"/>.</summary>
    public void Hangup()
    {
        Dialog? dialog;
        lock (_lock)
        {
            if (_state != OutboundLegState.Answered || _dialog is null)
            {
                dialog = null;
            }
            else
            {
                dialog = _dialog;
                _state = OutboundLegState.Ended;
                _byeSent = true;
            }
        }

        if (dialog is null)
        {
            if (State != OutboundLegState.Ended)
            {
                Cancel();
            }

            return;
        }

        _dialer.Unregister(this, dialog.Id);
        dialog.Terminate();
        if (!SendInDialog(dialog, SipMethod.Bye, ReadOnlyMemory<byte>.Empty))
        {
            OnByeDone();
        }
    }

    /// <summary>Sends a re-INVITE with <paramref name="sdp"/> (hold or resume relayed from the other leg); the answer
    /// arrives at <see cref="IOutboundLegObserver.OnReinviteAnswered"/>. Returns false when the leg is not answered
    /// or a re-INVITE is already in progress (RFC 3261 §14.1).</summary>
    public bool Reinvite(ReadOnlyMemory<byte> sdp)
    {
        Dialog? dialog;
        lock (_lock)
        {
            if (_state != OutboundLegState.Answered || _dialog is null
                || _reinvite is { State: TransactionState.Calling or TransactionState.Proceeding }
                || _incomingReinvite is { HasSentFinalResponse: false })
            {
                return false;
            }

            dialog = _dialog;
            _localSdp = sdp.ToArray();
        }

        return SendInDialog(dialog, SipMethod.Invite, sdp);
    }

    private bool SendInDialog(Dialog dialog, SipMethod method, ReadOnlyMemory<byte> sdp)
    {
        SipRemote remote;
        SipListener? listener;
        lock (_lock)
        {
            remote = FirstHop(dialog);
            listener = _dialer.Transport.ListenerFor(remote) ?? _listener;
        }

        if (listener is null)
        {
            return false;
        }

        var cseq = dialog.NextLocalCSeq();
        var branch = _dialer.Ids.NewBranch();
        var via = _dialer.Via(listener, branch);
        var contact = method == SipMethod.Invite ? _dialer.Contact(listener) : string.Empty;
        var bytes = Write(dialog, method, cseq, via, contact, _dialer.Options.UserAgent, string.Empty, sdp.Span);
        if (method != SipMethod.Invite)
        {
            _dialer.Transactions.StartClientNonInvite(Encoding.ASCII.GetBytes(branch), method, remote, bytes, this);
            return true;
        }

        var transaction = _dialer.Transactions.StartClientInvite(
            Encoding.ASCII.GetBytes(branch),
            remote,
            bytes,
            (_, _) => Write(dialog, SipMethod.Ack, cseq, via, string.Empty, _dialer.Options.UserAgent, string.Empty, default),
            this);
        lock (_lock)
        {
            _reinvite = transaction;
        }

        return true;
    }

    /// <summary>
    /// Where in-dialog requests go (RFC 3261 §12.2.1.1 first hop): an IP literal is used as it is; a host name falls
    /// back to the address the INVITE was answered from, which for a trunk is the edge that will route it (the
    /// full RFC 3263 lookup is asynchronous and an ACK must not wait for it).
    /// </summary>
    private SipRemote FirstHop(Dialog dialog)
    {
        var hop = DialogRequestWriter.Plan(dialog).FirstHop;
        return TryLiteralTarget(hop, _peer.Transport, out var remote) ? remote : _peer;
    }

    private void OnInitial2xx(SipMessage response)
    {
        Dialog? dialog = null;
        bool cancelled;
        bool duplicate;
        Attempt? attempt;
        lock (_lock)
        {
            attempt = _attempt;
            cancelled = _cancelRequested || (_state == OutboundLegState.Ended && _dialog is null);
            duplicate = _dialog is not null;
            if (attempt is null)
            {
                return;
            }

            if (duplicate && _dialog!.Id.RemoteTag == Encoding.ASCII.GetString(response.ToTag))
            {
                // A retransmission of the 2xx we already ACKed: ACK it again (RFC 3261 §13.2.2.4).
                dialog = _dialog;
            }
        }

        if (dialog is not null)
        {
            ResendAck();
            return;
        }

        var listener = _dialer.Transport.ListenerFor(attempt.Remote);
        var fresh = Dialog.FromResponse(response, attempt.From, attempt.CSeq, attempt.Remote);
        var peer = attempt.Remote;
        var hop = DialogRequestWriter.Plan(fresh).FirstHop;
        var target = TryLiteralTarget(hop, peer.Transport, out var literal) ? literal : peer;
        var ackListener = _dialer.Transport.ListenerFor(target) ?? listener;
        if (ackListener is null)
        {
            return;
        }

        var ack = Write(fresh, SipMethod.Ack, attempt.CSeq, _dialer.Via(ackListener, _dialer.Ids.NewBranch()), string.Empty, _dialer.Options.UserAgent, string.Empty, default);
        _dialer.Transport.TrySend(ack, target);
        if (cancelled || duplicate)
        {
            // The 2xx crossed our CANCEL, or another fork answered too: confirm it, then end it (RFC 3261 §15).
            var byeBranch = _dialer.Ids.NewBranch();
            var bye = Write(fresh, SipMethod.Bye, fresh.NextLocalCSeq(), _dialer.Via(ackListener, byeBranch), string.Empty, _dialer.Options.UserAgent, string.Empty, default);
            _dialer.Transactions.StartClientNonInvite(Encoding.ASCII.GetBytes(byeBranch), SipMethod.Bye, target, bye, null);
            return;
        }

        var body = IsSdp(response) ? response.Body.ToArray() : [];
        lock (_lock)
        {
            _dialog = fresh;
            _peer = peer;
            _listener = ackListener;
            _lastAck = ack;
            _localSdp = Request.SdpOffer;
            _state = OutboundLegState.Answered;
            _outcomeReported = true;
            _ringTimer?.Dispose();
        }

        _dialer.Register(this, fresh.Id);
        _dialer.Metrics.Answered();
        LogAnswered(CallId, peer.EndPoint);
        _observer.OnAnswered(this, body);
    }

    internal void OnLate2xx(SipMessage response)
    {
        bool ours;
        lock (_lock)
        {
            ours = response.CSeqNumber == _attempt?.CSeq;
        }

        if (ours)
        {
            ResendAck();
        }
    }

    private void ResendAck()
    {
        ReadOnlyMemory<byte> ack;
        SipRemote remote;
        lock (_lock)
        {
            ack = _lastAck;
            remote = _dialog is null ? _peer : FirstHop(_dialog);
        }

        if (!ack.IsEmpty)
        {
            _dialer.Transport.TrySend(ack, remote);
        }
    }

    private void OnReinviteResponse(ClientTransaction transaction, int statusCode, SipMessage response)
    {
        if (statusCode < 200)
        {
            return;
        }

        Dialog? dialog;
        lock (_lock)
        {
            dialog = _dialog;
        }

        if (dialog is null)
        {
            return;
        }

        if (statusCode < 300)
        {
            // RFC 3261 §13.2.2.4: the UAC ACKs every 2xx itself, with a new branch.
            var listener = _dialer.Transport.ListenerFor(transaction.Remote) ?? _listener;
            if (listener is not null)
            {
                var ack = Write(dialog, SipMethod.Ack, response.CSeqNumber, _dialer.Via(listener, _dialer.Ids.NewBranch()), string.Empty, _dialer.Options.UserAgent, string.Empty, default);
                lock (_lock)
                {
                    _lastAck = ack;
                }

                _dialer.Transport.TrySend(ack, transaction.Remote);
            }

            bool first;
            lock (_lock)
            {
                // RFC 6026 §7.2: retransmitted 2xx reach us too; each is ACKed, the first is reported.
                first = _reinviteAnswered.Add(response.CSeqNumber);
            }

            if (first)
            {
                dialog.RefreshTarget(response);
                _observer.OnReinviteAnswered(this, statusCode, IsSdp(response) ? response.Body.ToArray() : ReadOnlyMemory<byte>.Empty);
            }

            return;
        }

        _observer.OnReinviteAnswered(this, statusCode, ReadOnlyMemory<byte>.Empty);
        if (statusCode is 481 or 408)
        {
            // RFC 3261 §14.1: the dialog is gone.
            Hangup();
        }
    }

    private void OnByeDone()
    {
        lock (_lock)
        {
            if (_endReported || !_byeSent)
            {
                return;
            }

            _endReported = true;
        }

        LogEnded(CallId, "we");
        _observer.OnEnded(this, byRemote: false);
    }

    /// <summary>A request inside our dialog (RFC 3261 §12.2.2): BYE, re-INVITE, ACK for our 2xx, and the rest.</summary>
    internal void OnInDialogRequest(SipMessage request, in TransactionKeyView key, in SipRemote source)
    {
        Dialog? dialog;
        lock (_lock)
        {
            dialog = _dialog;
        }

        if (dialog is null)
        {
            return;
        }

        if (request.Method == SipMethod.Ack)
        {
            ServerInviteTransaction? pending;
            lock (_lock)
            {
                pending = _incomingReinvite;
            }

            pending?.ReceiveAck(request);
            return;
        }

        var destination = Core.ResponseRouting.Destination(request, source);
        if (request.Method == SipMethod.Invite)
        {
            var invite = _dialer.Transactions.CreateServerInvite(key, destination, ReadOnlyMemory<byte>.Empty, this, out var created);
            if (created)
            {
                OnRemoteReinvite(request, invite, dialog, source);
            }

            return;
        }

        var transaction = _dialer.Transactions.CreateServerNonInvite(key, destination, this, out var isNew);
        if (!isNew)
        {
            return;
        }

        if (request.Method != SipMethod.Cancel && !dialog.AcceptRemoteCSeq(request.CSeqNumber))
        {
            transaction.SendFinalResponse(500, Respond(request, source, 500, "Server Internal Error - CSeq out of order", dialog, string.Empty, default));
            return;
        }

        switch (request.Method)
        {
            case SipMethod.Bye:
                transaction.SendFinalResponse(200, Respond(request, source, 200, "OK", dialog, string.Empty, default));
                OnRemoteBye(dialog);
                break;
            case SipMethod.Options:
            case SipMethod.Info:
            case SipMethod.Update when request.Body.IsEmpty:
                transaction.SendFinalResponse(200, Respond(request, source, 200, "OK", dialog, string.Empty, default));
                break;
            default:
                transaction.SendFinalResponse(405, Respond(request, source, 405, "Method Not Allowed", dialog, "Allow: " + Core.SipCore.AllowedMethods + "\r\n", default));
                break;
        }
    }

    private void OnRemoteBye(Dialog dialog)
    {
        lock (_lock)
        {
            if (_endReported)
            {
                return;
            }

            _endReported = true;
            _state = OutboundLegState.Ended;
        }

        _dialer.Unregister(this, dialog.Id);
        dialog.Terminate();
        LogEnded(CallId, "remote");
        _observer.OnEnded(this, byRemote: true);
    }

    private void OnRemoteReinvite(SipMessage request, ServerInviteTransaction transaction, Dialog dialog, in SipRemote source)
    {
        bool glare;
        lock (_lock)
        {
            glare = _reinvite is { State: TransactionState.Calling or TransactionState.Proceeding };
            if (!glare)
            {
                _incomingReinvite = transaction;
            }
        }

        if (!dialog.AcceptRemoteCSeq(request.CSeqNumber))
        {
            transaction.SendFinalResponse(500, Respond(request, source, 500, "Server Internal Error - CSeq out of order", dialog, string.Empty, default));
            return;
        }

        if (glare)
        {
            // RFC 3261 §14.2: one of ours is in progress.
            transaction.SendFinalResponse(491, Respond(request, source, 491, "Request Pending", dialog, string.Empty, default));
            return;
        }

        dialog.RefreshTarget(request);
        var offer = request.Body.ToArray();
        var answer = _observer.OnReinvite(this, offer);
        ReadOnlyMemory<byte> sdp;
        lock (_lock)
        {
            sdp = answer ?? SdpDirectionMirror.Answer(_localSdp, offer);
            _localSdp = sdp;
        }

        var listener = _listener ?? _dialer.Transport.ListenerFor(source);
        var contact = listener is null ? string.Empty : "Contact: " + _dialer.Contact(listener) + "\r\n";
        transaction.SendFinalResponse(200, Respond(request, source, 200, "OK", dialog, contact, sdp.Span));
    }

    private ReadOnlyMemory<byte> Respond(SipMessage request, in SipRemote source, int status, string reason, Dialog dialog, string extraHeaders, ReadOnlySpan<byte> sdp)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>(512 + sdp.Length);
        Writing.SipResponseWriter.Write(
            output,
            request,
            status,
            Encoding.ASCII.GetBytes(reason),
            Encoding.ASCII.GetBytes(dialog.Id.LocalTag),
            new Writing.ViaReceived(source.EndPoint.Address, source.EndPoint.Port),
            Encoding.ASCII.GetBytes("Server: " + _dialer.Options.UserAgent + "\r\n" + extraHeaders),
            sdp.IsEmpty ? default : "application/sdp"u8,
            sdp);
        return output.WrittenMemory;
    }
}
