using System.Globalization;
using System.Net;
using System.Text;
using CallTracking.Engine.Calls;
using CallTracking.Engine.Sip.Dialogs;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Sdp;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Engine.Sip.Trunks;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Core;

public sealed partial class SipCore
{
    private void OnInvite(SipMessage request, in TransactionKeyView key, in SipRemote destination, in SipRemote source, SipListener listener, Trunk trunk)
    {
        // RFC 3261 §17.2.1: the transaction sends 100 Trying itself if we take longer than 200 ms.
        var trying = BuildResponse(request, source, 100, "Trying", string.Empty, string.Empty, null);
        var transaction = _transactions.CreateServerInvite(key, destination, trying, null, out var created);
        if (!created)
        {
            return;
        }

        if (!PassesCommonChecks(request, transaction, source))
        {
            return;
        }

        if (!request.ToTag.IsEmpty)
        {
            OnReInvite(request, transaction, source);
            return;
        }

        if (Volatile.Read(ref _stopping) == 1)
        {
            _metrics.Rejected("shutting_down");
            Respond(transaction, request, source, 503, "Service Unavailable", extraHeaders: "Retry-After: 30\r\n");
            return;
        }

        if (trunk.Inbound is { } credentials && !Authenticate(request, transaction, source, trunk, credentials))
        {
            return;
        }

        if (!TryFindRoute(request, out var number, out var route))
        {
            _metrics.Rejected("not_found");
            LogUnknownNumber(Encoding.ASCII.GetString(request.RequestUri), trunk.Name);
            Respond(transaction, request, source, 404, "Not Found");
            return;
        }

        var timer = _sessionTimers.Decide(request);
        if (timer.Reject)
        {
            _metrics.Rejected("session_interval_too_small");
            Respond(transaction, request, source, 422, "Session Interval Too Small", extraHeaders: $"Min-SE: {timer.MinSESeconds}\r\n");
            return;
        }

        SessionDescription? offer = null;
        if (!request.Body.IsEmpty)
        {
            if (!IsSdp(request))
            {
                _metrics.Rejected("unsupported_media_type");
                Respond(transaction, request, source, 415, "Unsupported Media Type", extraHeaders: "Accept: application/sdp\r\n");
                return;
            }

            var parsed = SessionDescription.Parse(Encoding.ASCII.GetString(request.Body));
            if (!parsed.Success)
            {
                _metrics.Rejected("bad_sdp");
                Respond(transaction, request, source, 400, "Bad Request - " + parsed.Error);
                return;
            }

            offer = parsed.Description!;
        }

        // Bind the RTP ports before the SDP names them, so a port another program holds is never advertised.
        if (!_media.TryOpen(out var media))
        {
            _metrics.Rejected("media_ports_exhausted");
            LogPortsExhausted();
            Respond(transaction, request, source, 503, "Service Unavailable", extraHeaders: "Retry-After: 5\r\n");
            return;
        }

        var mediaPort = media.RtpPort;
        var sdpSession = new SdpSession(NewSdpSessionId());
        var mediaAddress = MediaAddress(listener);
        string localSdp;
        SdpNegotiatedAudio? audio = null;
        if (offer is not null)
        {
            var answer = _answerer.Answer(offer, mediaAddress, mediaPort, sdpSession);
            if (!answer.IsAccepted)
            {
                media.Stop();
                _metrics.Rejected("not_acceptable_here");
                Respond(transaction, request, source, 488, "Not Acceptable Here", extraHeaders: $"Warning: 305 {Warn()} \"{answer.Reason}\"\r\n");
                return;
            }

            localSdp = answer.Answer!.ToString();
            audio = answer.Audio;
        }
        else
        {
            // RFC 3261 §13.2.1: an INVITE without an offer gets our offer in the 2xx and its answer in the ACK.
            localSdp = _offerer.Build(mediaAddress, mediaPort, sdpSession).ToString();
        }

        var localTag = _ids.NewTag();
        var dialog = Dialog.FromInvite(request, localTag, source, _ids.NewInitialCSeq());
        var call = NewCall(request, number, trunk, mediaPort);
        var session = new UasSession(call, dialog, request.Clone(), sdpSession, listener, PeerAllows(request, "UPDATE"u8), media)
        {
            Audio = audio,
            LocalSdp = localSdp,
            AwaitingAnswerInAck = offer is null,
            SessionTimer = timer,
        };

        _sessions[dialog.Id] = session;
        SetPendingInvite(session, transaction);
        _sessionsByMedia[media.Id] = session;
        _dialogs.Add(dialog);
        _metrics.CallStarted();
        using (BeginCallScope(call.CallId))
        {
            LogCallStarted(call.CallId, call.CallerNumber, number.E164, number.Name, trunk.Name, call.TwilioCallSid ?? "-");
            BeginControl(session, route, listener);
        }

        if (_options.AnswerDelay <= TimeSpan.Zero)
        {
            Answer(session);
            return;
        }

        // Ring first: a tag in the 180 makes the dialog early (RFC 3261 §12.1.1), so a CANCEL or BYE can find it.
        Respond(transaction, session.Invite, source, 180, "Ringing", localTag, "Contact: " + ContactHeader(listener, string.Empty) + "\r\n");
        lock (session.Lock)
        {
            session.AnswerTimer = _time.CreateTimer(
                static state =>
                {
                    var (core, s) = ((SipCore, UasSession))state!;
                    core.Answer(s);
                },
                (this, session),
                _options.AnswerDelay,
                Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Sends the 2xx with our SDP, Contact, copied Record-Route and the session-timer headers.</summary>
    private void Answer(UasSession session)
    {
        if (!session.Call.TryAnswer(_time.GetUtcNow()))
        {
            return;
        }

        ServerInviteTransaction? transaction;
        string? sdp;
        SessionTimerDecision timer;
        lock (session.Lock)
        {
            transaction = session.PendingInvite;
            sdp = session.LocalSdp;
            timer = session.SessionTimer;
        }

        if (transaction is null)
        {
            return;
        }

        var invite = session.Invite;
        var headers = AnswerHeaders(invite, session.Listener, timer, copyRecordRoute: true);
        var response = BuildResponse(invite, transaction.Remote, 200, "OK", session.Dialog.Id.LocalTag, headers, sdp);
        if (!transaction.SendFinalResponse(200, response))
        {
            // A CANCEL won the race and sent 487 first: the call is already over.
            return;
        }

        using (BeginCallScope(session.Call.CallId))
        {
            LogAnswered(session.Call.CallId);
        }

        StartMedia(session);
        ArmSessionTimer(session, timer);
        session.Control?.OnInboundAnswered();
    }

    /// <summary>Headers of every 2xx to an INVITE we send (initial or re-INVITE).</summary>
    private string AnswerHeaders(SipMessage invite, SipListener listener, SessionTimerDecision timer, bool copyRecordRoute)
    {
        var headers = new StringBuilder(256);
        headers.Append("Contact: ").Append(ContactHeader(listener, string.Empty)).Append("\r\n");
        if (copyRecordRoute)
        {
            // RFC 3261 §12.1.1: a UAS copies every Record-Route into the 2xx, in order, so the caller's route set
            // (and with it the ACK and BYE) goes through the same proxies.
            for (var i = 0; i < invite.HeaderCount; i++)
            {
                if (invite.GetHeaderKind(i) == HeaderKind.RecordRoute)
                {
                    headers.Append("Record-Route: ").Append(Encoding.ASCII.GetString(invite.GetHeaderValue(i))).Append("\r\n");
                }
            }
        }

        headers.Append(CapabilityHeaders);
        headers.Append(CultureInfo.InvariantCulture, $"Session-Expires: {timer.IntervalSeconds};refresher={(timer.Refresher == SessionRefresher.Uas ? "uas" : "uac")}\r\n");
        if (timer.RequireTimer)
        {
            headers.Append("Require: timer\r\n");
        }

        return headers.ToString();
    }

    /// <summary>RFC 3261 §9.2: CANCEL gets 200 on its own transaction, and the INVITE, if still unanswered, 487.</summary>
    private void OnCancel(SipMessage cancel, in TransactionKeyView key, in SipRemote destination, in SipRemote source)
    {
        var transaction = _transactions.CreateServerNonInvite(key, destination, null, out var created);
        if (!created)
        {
            return;
        }

        if (!_transactions.TryFindInviteForCancel(key, out var invite))
        {
            _metrics.Rejected("no_transaction");
            Respond(transaction, cancel, source, 481, "Call/Transaction Does Not Exist");
            return;
        }

        Respond(transaction, cancel, source, 200, "OK");

        // Too late once the INVITE has its final response; a CANCEL for a request we refused has no session.
        if (invite.HasSentFinalResponse || !_sessionsByInvite.TryGetValue(invite, out var session)
            || !session.Call.TryEnd(CallEndReason.Cancelled, _time.GetUtcNow()))
        {
            return;
        }

        // The 487 goes on the INVITE's transaction, built from the INVITE (RFC 3261 §9.2), with our tag.
        var response = BuildResponse(session.Invite, invite.Remote, 487, "Request Terminated", session.Dialog.Id.LocalTag, string.Empty, null);
        invite.SendFinalResponse(487, response);
        FinishSession(session);
    }

    /// <summary>The INVITE (initial or re-INVITE) whose 2xx now waits for its ACK; the previous one leaves the index.</summary>
    private void SetPendingInvite(UasSession session, ServerInviteTransaction transaction)
    {
        ServerInviteTransaction? previous;
        lock (session.Lock)
        {
            previous = session.PendingInvite;
            session.PendingInvite = transaction;
        }

        if (previous is not null)
        {
            _sessionsByInvite.TryRemove(previous, out _);
        }

        _sessionsByInvite[transaction] = session;
    }

    /// <summary>The ACK for our 2xx: confirms the dialog and stops the 2xx retransmissions (RFC 3261 §13.3.1.4).</summary>
    private void OnAckForAnswer(SipMessage ack)
    {
        if (!_dialogs.TryFindForRequest(ack, out var dialog) || !_sessions.TryGetValue(dialog.Id, out var session))
        {
            // An ACK for nothing we know: RFC 3261 §17.2.3 says to drop it silently.
            return;
        }

        ServerInviteTransaction? pending;
        lock (session.Lock)
        {
            pending = session.PendingInvite;
        }

        pending?.ReceiveAck(ack);
    }

    void ITransactionUser.OnAckFor2xx(ServerInviteTransaction transaction, object? ack)
    {
        if (!_sessionsByInvite.TryGetValue(transaction, out var session))
        {
            return;
        }

        session.Dialog.Confirm();
        bool awaiting;
        lock (session.Lock)
        {
            awaiting = session.AwaitingAnswerInAck;
            session.AwaitingAnswerInAck = false;
        }

        // RFC 3264 §4: the answer to the offer we put in an offer-less INVITE's 2xx arrives in the ACK.
        if (awaiting && ack is SipMessage message && !message.Body.IsEmpty
            && SessionDescription.Parse(Encoding.ASCII.GetString(message.Body)) is { Success: true } parsed
            && SdpAnswerReader.TryRead(parsed.Description!, out var audio))
        {
            session.Audio = audio;
            StartMedia(session);
        }
    }

    void ITransactionUser.OnNoAckFor2xx(ServerInviteTransaction transaction)
    {
        if (_sessionsByInvite.TryGetValue(transaction, out var session))
        {
            // RFC 3261 §13.3.1.4: no ACK within 64*T1 means the caller never got our answer; end with BYE.
            using (BeginCallScope(session.Call.CallId))
            {
                LogNoAck(session.Call.CallId);
            }

            EndSession(session, CallEndReason.NoAck, sendBye: true);
        }
    }

    private bool TryFindNumber(SipMessage request, out Tracking.TrackingNumber number)
    {
        if (SipUri.TryParse(request.RequestUri, out var uri) && _numbers.TryFind(uri.User, out number))
        {
            return true;
        }

        number = null!;
        return false;
    }

    private InboundCall NewCall(SipMessage invite, Tracking.TrackingNumber number, Trunk trunk, int mediaPort)
    {
        var callerNumber = string.Empty;
        var callerName = string.Empty;
        if (invite.TryGetHeader(HeaderKind.From, out var from) && NameAddr.TryParse(from, out var fromAddr))
        {
            callerName = Encoding.ASCII.GetString(fromAddr.DisplayName).Trim('"');
            if (SipUri.TryParse(fromAddr.Uri, out var fromUri))
            {
                callerNumber = Encoding.ASCII.GetString(fromUri.User);
            }
        }

        string? callSid = invite.TryGetHeader("X-Twilio-CallSid"u8, out var sid) ? Encoding.ASCII.GetString(sid) : null;
        string? accountSid = invite.TryGetHeader("X-Twilio-AccountSid"u8, out var account) ? Encoding.ASCII.GetString(account) : null;
        return new InboundCall(Encoding.ASCII.GetString(invite.CallId), number, trunk.Name, callerNumber, callerName, callSid, accountSid, _time.GetUtcNow())
        {
            MediaPort = mediaPort,
        };
    }

    private static bool IsSdp(SipMessage request)
    {
        if (!request.TryGetHeader(HeaderKind.ContentType, out var type))
        {
            return false;
        }

        // Media types are case-insensitive (RFC 3261 §20.15) and may carry parameters.
        type = type.Trim(" \t"u8);
        var semicolon = type.IndexOf((byte)';');
        return (semicolon < 0 ? type : type[..semicolon]).Trim(" \t"u8).EqualsOrdinalIgnoreCase("application/sdp"u8);
    }

    private static bool PeerAllows(SipMessage request, ReadOnlySpan<byte> method)
    {
        foreach (var allowed in request.GetHeaderValues(HeaderKind.Allow))
        {
            if (allowed.Trim(" \t"u8).EqualsOrdinalIgnoreCase(method))
            {
                return true;
            }
        }

        return false;
    }

    private ulong NewSdpSessionId()
    {
        Span<byte> bytes = stackalloc byte[8];
        _ids.Fill(bytes);
        return BitConverter.ToUInt64(bytes) & ((1UL << 62) - 3);
    }

    private string Warn() => _options.PublicAddress ?? "calltracking";

    /// <summary>Everything logged while handling a call carries its Call-ID (structured as CallId).</summary>
    private IDisposable? BeginCallScope(string callId) => _logger.BeginScope("Call {CallId}", callId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} from {Caller} to {Number} ({NumberName}) via trunk {Trunk}, Twilio CallSid {TwilioCallSid}")]
    private partial void LogCallStarted(string callId, string caller, string number, string numberName, string trunk, string twilioCallSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} answered")]
    private partial void LogAnswered(string callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: no ACK for our 200 OK within 64*T1; hanging up. Check that the caller can reach our Contact address (Sip:PublicAddress).")]
    private partial void LogNoAck(string callId);

    [LoggerMessage(Level = LogLevel.Information, Message = "INVITE for {RequestUri} from trunk {Trunk}: not a configured tracking number (404)")]
    private partial void LogUnknownNumber(string requestUri, string trunk);

    [LoggerMessage(Level = LogLevel.Error, Message = "No free media port in Media:PortRange: answering 503. Widen the range or lower the call load.")]
    private partial void LogPortsExhausted();
}
