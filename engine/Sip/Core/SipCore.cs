using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using CallTracking.Engine.Calls;
using CallTracking.Engine.Sip.Dialogs;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Sdp;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;
using CallTracking.Engine.Sip.Writing;
using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Tracking;
using CallTracking.Media.Sessions;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Core;

/// <summary>
/// The user-agent core above the transaction layer (RFC 3261 §8.2, §12–§15): admits or rejects what the
/// transports deliver, creates server transactions, answers tracking numbers, keeps their dialogs and ends them.
/// Everything the engine says on SIP is decided here; the transaction layer only repeats and times it.
/// </summary>
public sealed partial class SipCore : ISipMessageHandler, ITransactionUser, IAsyncDisposable
{
    /// <summary>RFC 3261 §20.5: the methods we implement, sent in Allow.</summary>
    public const string AllowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE";

    /// <summary>Option tags we support (RFC 3261 §8.2.2.3); anything else in Require gets 420.</summary>
    public const string SupportedOptionTags = "timer";

    private readonly SipCoreOptions _options;
    private readonly TrunkAdmission _admission;
    private readonly TrackingNumberDirectory _numbers;
    private readonly ISipTransport _transport;
    private readonly TransactionTable _transactions;
    private readonly DialogTable _dialogs = new();
    private readonly ConcurrentDictionary<DialogId, UasSession> _sessions = new();
    private readonly SipIdentifiers _ids;
    private readonly SessionTimerNegotiation _sessionTimers;
    private readonly SdpAnswerer _answerer = new();
    private readonly SdpOfferBuilder _offerer = new();
    private readonly IMediaSessionFactory _media;
    // Sessions found without scanning: by the INVITE transaction whose ACK, CANCEL or time-out arrives, and by the
    // media session whose events arrive (kept after the call ends until its media has stopped and reported).
    private readonly ConcurrentDictionary<ServerInviteTransaction, UasSession> _sessionsByInvite = new();
    private readonly ConcurrentDictionary<long, UasSession> _sessionsByMedia = new();
    private readonly TimeProvider _time;
    private readonly SipCoreMetrics _metrics;
    private readonly ILogger _logger;
    private readonly byte[] _serverHeader;
    private int _stopping;

    public SipCore(
        SipCoreOptions options,
        TrunkAdmission admission,
        TrackingNumberDirectory numbers,
        ISipTransport transport,
        SipTimerSettings timers,
        IMediaSessionFactory media,
        SipIdentifiers ids,
        TimeProvider time,
        Meter meter,
        ILogger<SipCore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _admission = admission;
        _numbers = numbers;
        _transport = transport;
        _media = media;
        _ids = ids;
        _time = time;
        _logger = logger;
        _metrics = new SipCoreMetrics(meter);
        _digest = NewDigestServer(time);
        _authFailures = NewAuthFailureCounter(meter);
        _sessionTimers = new SessionTimerNegotiation(options.SessionExpiresSeconds, options.MinSESeconds);
        _transactions = new TransactionTable(transport, this, time, timers, meter);
        _serverHeader = Encoding.ASCII.GetBytes($"Server: {options.UserAgent}\r\n");
    }

    /// <summary>Calls ringing or answered now.</summary>
    public int ActiveCalls => _sessions.Count;

    /// <summary>The call with this SIP Call-ID, while it is ringing or answered.</summary>
    public bool TryGetCall(string callId, out InboundCall call)
    {
        foreach (var session in _sessions.Values)
        {
            if (string.Equals(session.Call.CallId, callId, StringComparison.Ordinal))
            {
                call = session.Call;
                return true;
            }
        }

        call = null!;
        return false;
    }

    public void OnReceived(SipMessage message, SipParseStatus status, SipParseError error, in SipRemote source, SipListener listener)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (TryOutbound(message, status, source))
        {
            return;
        }

        if (!_admission.TryAdmit(source.EndPoint.Address, out var trunk))
        {
            RejectUnknownSource(message, status, source);
            return;
        }

        if (status != SipParseStatus.Complete)
        {
            RejectMalformed(message, error, source);
            return;
        }

        if (message.IsRequest)
        {
            OnRequest(message, source, listener, trunk);
        }
        else
        {
            OnResponse(message);
        }
    }

    private void OnRequest(SipMessage request, in SipRemote source, SipListener listener, Trunk trunk)
    {
        var via = request.TopVia;
        var key = TransactionKeyView.ForServer(via.Branch, via.SentBy, request.Method);

        // RFC 3261 §17.2.3: retransmissions and ACKs for non-2xx finals belong to their transaction.
        if (_transactions.ReceiveRequest(key, request) != RequestDisposition.NoMatch)
        {
            return;
        }

        if (request.Method == SipMethod.Ack)
        {
            // The ACK for a 2xx is a new transaction (RFC 3261 §17.1.1.3) and reaches us through the dialog.
            OnAckForAnswer(request);
            return;
        }

        var destination = ResponseRouting.Destination(request, source);
        if (request.Method == SipMethod.Cancel)
        {
            OnCancel(request, key, destination, source);
            return;
        }

        if (request.Method == SipMethod.Invite)
        {
            OnInvite(request, key, destination, source, listener, trunk);
            return;
        }

        var transaction = _transactions.CreateServerNonInvite(key, destination, null, out var created);
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
            OnInDialogRequest(request, transaction, source);
            return;
        }

        switch (request.Method)
        {
            case SipMethod.Options:
                // Trunks ping with OPTIONS to see that we are up (RFC 3261 §11.2).
                Respond(transaction, request, source, 200, "OK", extraHeaders: CapabilityHeaders);
                break;
            case SipMethod.Bye:
            case SipMethod.Update:
            case SipMethod.Info:
                _metrics.Rejected("no_dialog");
                Respond(transaction, request, source, 481, "Call/Transaction Does Not Exist");
                break;
            default:
                _metrics.Rejected("method_not_allowed");
                Respond(transaction, request, source, 405, "Method Not Allowed", extraHeaders: AllowHeader);
                break;
        }
    }

    /// <summary>RFC 3261 §8.2.1–§8.2.2 and §16.3 checks every new request passes before its method is looked at.</summary>
    private bool PassesCommonChecks(SipMessage request, ServerTransaction transaction, in SipRemote source)
    {
        if (request.MaxForwards == 0)
        {
            _metrics.Rejected("too_many_hops");
            Respond(transaction, request, source, 483, "Too Many Hops");
            return false;
        }

        if (UnsupportedRequirements(request) is { } unsupported)
        {
            _metrics.Rejected("bad_extension");
            Respond(transaction, request, source, 420, "Bad Extension", extraHeaders: "Unsupported: " + unsupported + "\r\n");
            return false;
        }

        return true;
    }

    private static string? UnsupportedRequirements(SipMessage request)
    {
        List<string>? unsupported = null;
        foreach (var tag in request.GetHeaderValues(HeaderKind.Require))
        {
            var trimmed = tag.Trim(" \t"u8);
            if (trimmed.IsEmpty || trimmed.EqualsOrdinalIgnoreCase("timer"u8))
            {
                continue;
            }

            (unsupported ??= []).Add(Encoding.ASCII.GetString(trimmed));
        }

        return unsupported is null ? null : string.Join(", ", unsupported);
    }

    private void RejectUnknownSource(SipMessage message, SipParseStatus status, in SipRemote source)
    {
        _metrics.Rejected("forbidden");
        if (status != SipParseStatus.Complete || !message.IsRequest || message.Method == SipMethod.Ack || IsScanner(message))
        {
            // Scanners and garbage from strangers get nothing: an answer only confirms we are here.
            return;
        }

        LogForbidden(source.EndPoint, Encoding.ASCII.GetString(message.MethodToken));
        SendStateless(message, source, 403, "Forbidden");
    }

    private void RejectMalformed(SipMessage message, SipParseError error, in SipRemote source)
    {
        _metrics.Rejected("bad_request");
        LogMalformed(source.EndPoint, error);

        // A 400 needs the headers a response copies (RFC 3261 §8.2.6.2); without them there is nobody to answer.
        if (!message.IsRequest || message.Method == SipMethod.Ack || !CanAnswer(message))
        {
            return;
        }

        // 505 for another SIP version (RFC 3261 §21.5.7), 513 for an oversized message (§21.5.11), else 400.
        SendStateless(message, source, SipParseErrors.StatusCode(error), Encoding.ASCII.GetString(SipParseErrors.ReasonPhrase(error)));
    }

    /// <summary>
    /// The response copies Via, From, To, Call-ID and CSeq verbatim (RFC 3261 §8.2.6.2), and the client matches it
    /// by branch and CSeq method (§17.1.3): a CSeq whose number is broken can still be copied and is exactly what
    /// the 400 must name, so only its presence is required.
    /// </summary>
    private static bool CanAnswer(SipMessage message)
        => message.HasHeader(HeaderKind.Via) && message.HasHeader(HeaderKind.From) && message.HasHeader(HeaderKind.To)
            && !message.CallId.IsEmpty && message.HasHeader(HeaderKind.CSeq) && !message.TopVia.Branch.IsEmpty;

    /// <summary>SIPVicious and friends announce themselves; they get silence (RFC 3261 allows dropping).</summary>
    private static bool IsScanner(SipMessage message)
    {
        if (!message.TryGetHeader(HeaderKind.UserAgent, out var agent))
        {
            return false;
        }

        return agent.IndexOf("friendly-scanner"u8) >= 0 || agent.IndexOf("sipvicious"u8) >= 0
            || agent.IndexOf("sipcli"u8) >= 0 || agent.IndexOf("VaxSIPUserAgent"u8) >= 0 || agent.IndexOf("sundayddr"u8) >= 0;
    }

    private void OnResponse(SipMessage response)
    {
        var key = TransactionKeyView.ForClient(response.TopVia.Branch, response.CSeqMethod);
        if (_transactions.ReceiveResponse(key, response.StatusCode, response))
        {
            return;
        }

        // RFC 3261 §13.2.2.4: a retransmitted 2xx to our re-INVITE after its transaction ended gets the same ACK.
        if (response.CSeqMethod == SipMethod.Invite && response.StatusCode is >= 200 and < 300
            && _dialogs.TryFindForResponse(response, out var dialog) && _sessions.TryGetValue(dialog.Id, out var session))
        {
            ReadOnlyMemory<byte> ack;
            SipRemote destination;
            lock (session.Lock)
            {
                ack = session.LastAck;
                destination = session.LastAckDestination;
            }

            if (!ack.IsEmpty)
            {
                _transport.TrySend(ack, destination);
                return;
            }
        }

        _metrics.StrayResponse();
    }

    private const string AllowHeader = "Allow: " + AllowedMethods + "\r\n";

    private const string CapabilityHeaders = AllowHeader + "Accept: application/sdp\r\nSupported: " + SupportedOptionTags + "\r\n";

    private void Respond(ServerTransaction transaction, SipMessage request, in SipRemote source, int status, string reason, string toTag = "", string extraHeaders = "", string? sdp = null)
    {
        var response = BuildResponse(request, source, status, reason, toTag, extraHeaders, sdp);
        if (status < 200)
        {
            transaction.SendProvisionalResponse(response);
        }
        else
        {
            transaction.SendFinalResponse(status, response);
        }
    }

    /// <summary>Answers without keeping a transaction: for strangers and unparseable requests, which we do not
    /// want to hold state for.</summary>
    private void SendStateless(SipMessage request, in SipRemote source, int status, string reason)
    {
        var response = BuildResponse(request, source, status, reason, string.Empty, string.Empty, null);
        _transport.TrySend(response, ResponseRouting.Destination(request, source));
    }

    private ReadOnlyMemory<byte> BuildResponse(SipMessage request, in SipRemote source, int status, string reason, string toTag, string extraHeaders, string? sdp)
    {
        var body = sdp is null ? [] : Encoding.ASCII.GetBytes(sdp);
        var extra = extraHeaders.Length == 0 ? _serverHeader : [.. _serverHeader, .. Encoding.ASCII.GetBytes(extraHeaders)];
        var output = new ArrayBufferWriter<byte>(640 + body.Length);
        SipResponseWriter.Write(
            output,
            request,
            status,
            Encoding.ASCII.GetBytes(reason),
            Encoding.ASCII.GetBytes(toTag),
            new ViaReceived(source.EndPoint.Address, source.EndPoint.Port),
            extra,
            sdp is null ? default : "application/sdp"u8,
            body);
        return output.WrittenMemory;
    }

    /// <summary>The host our Contact and Via carry: the configured public address, else the listener's own.</summary>
    private string AdvertisedHost(SipListener listener)
    {
        if (_options.PublicAddress is { Length: > 0 } configured)
        {
            return configured;
        }

        var address = listener.LocalEndPoint.Address;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    private string ContactHeader(SipListener listener, string user)
    {
        var transport = listener.Transport == SipTransportKind.Udp ? string.Empty : ";transport=" + listener.ViaTransport.ToLowerInvariant();
        var userPart = user.Length == 0 ? string.Empty : user + "@";
        return $"<sip:{userPart}{AdvertisedHost(listener)}:{listener.LocalEndPoint.Port}{transport}>";
    }

    private string MediaAddress(SipListener listener)
    {
        if (_options.MediaAddress is { Length: > 0 } media)
        {
            return media;
        }

        var address = listener.LocalEndPoint.Address;
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            // A wildcard listener has no address to advertise; the public address (validated as an IP when used
            // for media) or loopback as the last resort keeps the SDP well-formed.
            return _options.PublicAddress is { Length: > 0 } publicAddress && IPAddress.TryParse(publicAddress, out _) ? publicAddress : "127.0.0.1";
        }

        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            return;
        }

        // Hang up every call we carry so the other side does not wait for a session timer to find out.
        foreach (var session in _sessions.Values)
        {
            EndSession(session, CallEndReason.Shutdown, sendBye: true);
        }

        var deadline = _time.GetUtcNow() + _options.ShutdownGrace;
        while (_transactions.ClientCount > 0 && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time).ConfigureAwait(false);
        }

        _transactions.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} from {Source}: not in any trunk's allow-list")]
    private partial void LogForbidden(IPEndPoint source, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed message from {Source}: {Error}")]
    private partial void LogMalformed(IPEndPoint source, SipParseError error);
}
