using System.Buffers;
using System.Net;
using System.Text;
using CallTracking.Engine.Calls;
using CallTracking.Engine.Sip.Dialogs;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Sdp;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Core;

public sealed partial class SipCore
{
    /// <summary>BYE, UPDATE, INFO and OPTIONS inside a dialog (RFC 3261 §12.2.2).</summary>
    private void OnInDialogRequest(SipMessage request, ServerNonInviteTransaction transaction, in SipRemote source)
    {
        if (!_dialogs.TryFindForRequest(request, out var dialog) || !_sessions.TryGetValue(dialog.Id, out var session))
        {
            _metrics.Rejected("no_dialog");
            Respond(transaction, request, source, 481, "Call/Transaction Does Not Exist");
            return;
        }

        if (!dialog.AcceptRemoteCSeq(request.CSeqNumber))
        {
            // RFC 3261 §12.2.2: a request with a lower CSeq than the last is out of order.
            Respond(transaction, request, source, 500, "Server Internal Error - CSeq out of order", dialog.Id.LocalTag);
            return;
        }

        switch (request.Method)
        {
            case SipMethod.Bye:
                Respond(transaction, request, source, 200, "OK", dialog.Id.LocalTag);
                using (BeginCallScope(session.Call.CallId))
                {
                    EndSession(session, CallEndReason.CallerHungUp, sendBye: false);
                }

                break;
            case SipMethod.Update:
                OnUpdate(request, transaction, source, session);
                break;
            case SipMethod.Info:
            case SipMethod.Options:
                Respond(transaction, request, source, 200, "OK", dialog.Id.LocalTag, request.Method == SipMethod.Options ? CapabilityHeaders : string.Empty);
                break;
            default:
                _metrics.Rejected("method_not_allowed");
                Respond(transaction, request, source, 405, "Method Not Allowed", dialog.Id.LocalTag, AllowHeader);
                break;
        }
    }

    /// <summary>A re-INVITE: hold, resume, codec change or a session refresh (RFC 3261 §14.2, RFC 4028 §9).</summary>
    private void OnReInvite(SipMessage request, ServerInviteTransaction transaction, in SipRemote source)
    {
        if (!_dialogs.TryFindForRequest(request, out var dialog) || !_sessions.TryGetValue(dialog.Id, out var session))
        {
            _metrics.Rejected("no_dialog");
            Respond(transaction, request, source, 481, "Call/Transaction Does Not Exist");
            return;
        }

        var localTag = dialog.Id.LocalTag;
        if (!dialog.AcceptRemoteCSeq(request.CSeqNumber))
        {
            Respond(transaction, request, source, 500, "Server Internal Error - CSeq out of order", localTag);
            return;
        }

        bool ourInviteInProgress;
        bool theirsUnanswered;
        lock (session.Lock)
        {
            ourInviteInProgress = session.OutgoingInvite is { State: TransactionState.Calling or TransactionState.Proceeding };
            theirsUnanswered = session.PendingInvite is { HasSentFinalResponse: false };
        }

        // RFC 3261 §14.2: an INVITE while one of ours is in progress is glare (491); one before we answered the
        // previous INVITE gets 500 with a random Retry-After of up to 10 s.
        if (ourInviteInProgress)
        {
            Respond(transaction, request, source, 491, "Request Pending", localTag);
            return;
        }

        if (theirsUnanswered)
        {
            Respond(transaction, request, source, 500, "Server Internal Error", localTag, $"Retry-After: {_ids.NextRetryAfterSeconds()}\r\n");
            return;
        }

        var timer = _sessionTimers.Decide(request);
        if (timer.Reject)
        {
            Respond(transaction, request, source, 422, "Session Interval Too Small", localTag, $"Min-SE: {timer.MinSESeconds}\r\n");
            return;
        }

        if (!TryNegotiate(request, session, out var sdp, out var audio, out var failure))
        {
            // RFC 3261 §14.2: a refused re-INVITE leaves the session as it was.
            Respond(transaction, request, source, 488, "Not Acceptable Here", localTag, $"Warning: 305 {Warn()} \"{failure}\"\r\n");
            return;
        }

        dialog.RefreshTarget(request);
        SetPendingInvite(session, transaction);
        lock (session.Lock)
        {
            session.LocalSdp = sdp;
            session.SessionTimer = timer;
        }

        var response = BuildResponse(request, source, 200, "OK", localTag, AnswerHeaders(request, session.Listener, timer, copyRecordRoute: false), sdp);
        transaction.SendFinalResponse(200, response);
        if (audio is not null)
        {
            UpdateMedia(session, audio);
        }
        else
        {
            lock (session.Lock)
            {
                // Our offer went in the 2xx: the answer comes in the ACK (RFC 3264 §4).
                session.AwaitingAnswerInAck = true;
            }
        }

        ArmSessionTimer(session, timer);
    }

    /// <summary>RFC 3311 UPDATE: a session refresh without SDP, or an offer answered like a re-INVITE's.</summary>
    private void OnUpdate(SipMessage request, ServerNonInviteTransaction transaction, in SipRemote source, UasSession session)
    {
        var localTag = session.Dialog.Id.LocalTag;
        var timer = _sessionTimers.Decide(request);
        if (timer.Reject)
        {
            Respond(transaction, request, source, 422, "Session Interval Too Small", localTag, $"Min-SE: {timer.MinSESeconds}\r\n");
            return;
        }

        string? sdp = null;
        SdpNegotiatedAudio? audio = null;
        if (!request.Body.IsEmpty && !TryNegotiate(request, session, out sdp, out audio, out var failure))
        {
            Respond(transaction, request, source, 488, "Not Acceptable Here", localTag, $"Warning: 305 {Warn()} \"{failure}\"\r\n");
            return;
        }

        session.Dialog.RefreshTarget(request);
        lock (session.Lock)
        {
            session.SessionTimer = timer;
            if (sdp is not null)
            {
                session.LocalSdp = sdp;
            }
        }

        Respond(transaction, request, source, 200, "OK", localTag, AnswerHeaders(request, session.Listener, timer, copyRecordRoute: false), sdp);
        if (audio is not null)
        {
            UpdateMedia(session, audio);
        }

        ArmSessionTimer(session, timer);
    }

    /// <summary>Our SDP for an in-dialog request: an answer to its offer, or our offer when it has none.</summary>
    private bool TryNegotiate(SipMessage request, UasSession session, out string sdp, out SdpNegotiatedAudio? audio, out string failure)
    {
        var address = MediaAddress(session.Listener);
        audio = null;
        if (request.Body.IsEmpty)
        {
            // RFC 3261 §14.2: an offer-less re-INVITE gets an offer in the 2xx.
            lock (session.Lock)
            {
                sdp = _offerer.Build(address, session.Call.MediaPort, session.Sdp).ToString();
            }

            failure = string.Empty;
            return true;
        }

        var parsed = SessionDescription.Parse(Encoding.ASCII.GetString(request.Body));
        if (!parsed.Success)
        {
            sdp = string.Empty;
            failure = parsed.Error ?? "unreadable SDP";
            return false;
        }

        SdpAnswerResult answer;
        lock (session.Lock)
        {
            answer = _answerer.Answer(parsed.Description!, address, session.Call.MediaPort, session.Sdp);
        }

        sdp = answer.Answer?.ToString() ?? string.Empty;
        audio = answer.Audio;
        failure = answer.Reason ?? string.Empty;
        return answer.IsAccepted;
    }

    /// <summary>
    /// RFC 4028 §10: as refresher we refresh at half the interval; otherwise we expect a refresh and hang up when
    /// none came in time.
    /// </summary>
    private void ArmSessionTimer(UasSession session, SessionTimerDecision timer)
    {
        var refresher = timer.Refresher == SessionRefresher.Uas;
        var wait = refresher ? timer.RefreshWait : timer.ExpiryWait;
        lock (session.Lock)
        {
            session.SessionTimerHandle?.Dispose();
            session.SessionTimerHandle = _time.CreateTimer(
                static state =>
                {
                    var (core, s, refresh) = ((SipCore, UasSession, bool))state!;
                    core.OnSessionTimer(s, refresh);
                },
                (this, session, refresher),
                wait,
                Timeout.InfiniteTimeSpan);
        }
    }

    private void OnSessionTimer(UasSession session, bool refresh)
    {
        if (session.Call.State == CallState.Ended)
        {
            return;
        }

        using var scope = BeginCallScope(session.Call.CallId);
        if (!refresh)
        {
            LogSessionExpired(session.Call.CallId);
            EndSession(session, CallEndReason.SessionExpired, sendBye: true);
            return;
        }

        SendRefresh(session);
    }

    /// <summary>Our refresh: UPDATE without a body when the peer allows it, else a re-INVITE with our last SDP.</summary>
    private void SendRefresh(UasSession session)
    {
        SessionTimerDecision timer;
        string? sdp;
        lock (session.Lock)
        {
            timer = session.SessionTimer;
            sdp = session.LocalSdp;
        }

        var headers = $"Session-Expires: {timer.IntervalSeconds};refresher=uas\r\nSupported: timer\r\n";
        if (session.PeerAllowsUpdate)
        {
            SendInDialog(session, SipMethod.Update, headers, null);
        }
        else
        {
            SendInDialog(session, SipMethod.Invite, headers, sdp);
        }

        // Until the refresh is answered the old interval still runs: re-arm for the next refresh.
        ArmSessionTimer(session, timer);
    }

    /// <summary>Ends the call once: stops timers, sends BYE if asked and the call was answered, frees the port.</summary>
    private void EndSession(UasSession session, CallEndReason reason, bool sendBye)
    {
        var wasAnswered = session.Call.State == CallState.Answered;
        if (!session.Call.TryEnd(reason, _time.GetUtcNow()))
        {
            return;
        }

        if (sendBye && wasAnswered)
        {
            SendInDialog(session, SipMethod.Bye, string.Empty, null);
        }
        else if (sendBye && session.PendingInvite is { HasSentFinalResponse: false } pending)
        {
            // Not answered yet (shutdown while ringing): refuse the INVITE instead of a BYE.
            var response = BuildResponse(session.Invite, pending.Remote, 503, "Service Unavailable", session.Dialog.Id.LocalTag, string.Empty, null);
            pending.SendFinalResponse(503, response);
        }

        FinishSession(session);
    }

    private void FinishSession(UasSession session)
    {
        if (!_sessions.TryRemove(new KeyValuePair<DialogId, UasSession>(session.Dialog.Id, session)))
        {
            return;
        }

        session.Dialog.Terminate();
        _dialogs.Remove(session.Dialog);
        if (session.PendingInvite is { } pending)
        {
            _sessionsByInvite.TryRemove(pending, out _);
        }

        session.Control?.OnInboundEnded(session.Call.EndReason);
        session.Media.Stop();
        var call = session.Call;
        _metrics.CallEnded(EndReasonName(call.EndReason));
        LogCallEnded(call.CallId, call.EndReason, call.TalkTime.TotalSeconds, call.TwilioCallSid ?? "-");
        session.Dispose();
    }

    /// <summary>Sends a request in the dialog through a new client transaction (RFC 3261 §12.2.1).</summary>
    private void SendInDialog(UasSession session, SipMethod method, string extraHeaders, string? sdp)
    {
        var dialog = session.Dialog;
        var firstHop = DialogRequestWriter.Plan(dialog).FirstHop;
        if (!TryResolve(firstHop, dialog.Peer, out var remote))
        {
            LogUnroutable(session.Call.CallId, method, firstHop);
            if (method != SipMethod.Bye)
            {
                EndSession(session, CallEndReason.TransportFailure, sendBye: false);
            }

            return;
        }

        var cseq = dialog.NextLocalCSeq();
        var branch = _ids.NewBranch();
        var via = OurVia(_transport.ListenerFor(remote) ?? session.Listener, branch);
        var contact = method is SipMethod.Invite or SipMethod.Update ? ContactHeader(session.Listener, string.Empty) : string.Empty;
        var body = sdp is null ? [] : Encoding.ASCII.GetBytes(sdp);
        var output = new ArrayBufferWriter<byte>(512 + body.Length);
        DialogRequestWriter.Write(output, dialog, method, cseq, via, contact, _options.UserAgent, extraHeaders, sdp is null ? default : "application/sdp"u8, body);
        var branchBytes = Encoding.ASCII.GetBytes(branch);
        if (method != SipMethod.Invite)
        {
            _transactions.StartClientNonInvite(branchBytes, method, remote, output.WrittenMemory, session);
            return;
        }

        // RFC 3261 §17.1.1.3: the ACK for a non-2xx final reuses the INVITE's Via (branch), CSeq number and routes.
        var transaction = _transactions.StartClientInvite(
            branchBytes,
            remote,
            output.WrittenMemory,
            (_, _) =>
            {
                var ack = new ArrayBufferWriter<byte>(384);
                DialogRequestWriter.Write(ack, dialog, SipMethod.Ack, cseq, via, string.Empty, _options.UserAgent, string.Empty, default, default);
                return ack.WrittenMemory;
            },
            session);
        lock (session.Lock)
        {
            session.OutgoingInvite = transaction;
        }
    }

    private string OurVia(SipListener listener, string branch)
        => $"SIP/2.0/{listener.ViaTransport} {AdvertisedHost(listener)}:{listener.LocalEndPoint.Port};branch={branch};rport";

    void ITransactionUser.OnResponse(ClientTransaction transaction, int statusCode, object? message)
    {
        if (transaction.UserState is not UasSession session || statusCode < 200)
        {
            return;
        }

        if (transaction.Method == SipMethod.Bye)
        {
            return;
        }

        if (transaction.Method == SipMethod.Invite && statusCode < 300 && message is SipMessage ok)
        {
            // RFC 3261 §13.2.2.4: the UAC core ACKs a 2xx itself, end to end, with a new branch.
            SendAckFor2xx(session, ok, transaction);
        }

        // RFC 4028 §10: a refresh answered 481 or 408 means the session is gone.
        if (statusCode is 481 or 408)
        {
            using var scope = BeginCallScope(session.Call.CallId);
            EndSession(session, CallEndReason.SessionExpired, sendBye: statusCode == 408);
        }
    }

    void ITransactionUser.OnTimeout(SipTransaction transaction) => OnClientFailure(transaction);

    void ITransactionUser.OnTransportError(SipTransaction transaction) => OnClientFailure(transaction);

    private void OnClientFailure(SipTransaction transaction)
    {
        if (transaction.IsServer || transaction.UserState is not UasSession session || transaction.Method == SipMethod.Bye)
        {
            return;
        }

        // A refresh nobody answered: RFC 4028 §10 treats the session as dead.
        using var scope = BeginCallScope(session.Call.CallId);
        EndSession(session, CallEndReason.TransportFailure, sendBye: true);
    }

    private void SendAckFor2xx(UasSession session, SipMessage ok, ClientTransaction transaction)
    {
        var dialog = session.Dialog;
        var branch = _ids.NewBranch();
        var via = OurVia(_transport.ListenerFor(transaction.Remote) ?? session.Listener, branch);
        var output = new ArrayBufferWriter<byte>(384);
        DialogRequestWriter.Write(output, dialog, SipMethod.Ack, ok.CSeqNumber, via, string.Empty, _options.UserAgent, string.Empty, default, default);
        var ack = output.WrittenMemory;
        lock (session.Lock)
        {
            session.LastAck = ack;
            session.LastAckDestination = transaction.Remote;
        }

        _transport.TrySend(ack, transaction.Remote);
    }

    /// <summary>
    /// The transport address of a SIP URI. IP literals only need parsing; host names are looked up (A/AAAA;
    /// SRV selection per RFC 3263 comes with outbound trunks). Without a transport parameter the dialog's own
    /// transport is kept, and on a stream transport the connection the dialog arrived on is reused.
    /// </summary>
    private static bool TryResolve(string uriText, in SipRemote peer, out SipRemote remote)
    {
        remote = default;
        var bytes = Encoding.ASCII.GetBytes(uriText);
        if (!SipUri.TryParse(bytes, out var uri))
        {
            return false;
        }

        var transport = peer.Transport;
        if (uri.TryGetParameter("transport"u8, out var transportParameter))
        {
            if (transportParameter.EqualsOrdinalIgnoreCase("tcp"u8))
            {
                transport = SipTransportKind.Tcp;
            }
            else if (transportParameter.EqualsOrdinalIgnoreCase("udp"u8))
            {
                transport = SipTransportKind.Udp;
            }
        }

        var host = Encoding.ASCII.GetString(uri.Host).Trim('[', ']');
        if (!IPAddress.TryParse(host, out var address))
        {
            try
            {
                var addresses = Dns.GetHostAddresses(host);
                if (addresses.Length == 0)
                {
                    return false;
                }

                address = addresses[0];
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }

        var port = uri.Port != 0 ? uri.Port : 5060;
        var connection = transport == peer.Transport && peer.IsReliable && address.Equals(peer.EndPoint.Address) ? peer.ConnectionId : 0;
        remote = new SipRemote(transport, new IPEndPoint(address, port), connection);
        return true;
    }

    private static string EndReasonName(CallEndReason reason) => reason switch
    {
        CallEndReason.CallerHungUp => "caller_hung_up",
        CallEndReason.EngineHungUp => "engine_hung_up",
        CallEndReason.Cancelled => "cancelled",
        CallEndReason.NoAck => "no_ack",
        CallEndReason.SessionExpired => "session_expired",
        CallEndReason.TransportFailure => "transport_failure",
        CallEndReason.Shutdown => "shutdown",
        CallEndReason.NoMedia => "no_media",
        _ => "unknown",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} ended: {Reason} after {TalkSeconds:F1} s of talk (Twilio CallSid {TwilioCallSid})")]
    private partial void LogCallEnded(string callId, CallEndReason reason, double talkSeconds, string twilioCallSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the caller did not refresh the session in time (RFC 4028); hanging up")]
    private partial void LogSessionExpired(string callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: cannot route {Method} to {Target}")]
    private partial void LogUnroutable(string callId, SipMethod method, string target);
}
