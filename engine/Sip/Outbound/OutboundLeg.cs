using System.Buffers;
using System.Net;
using System.Text;
using CallTracking.Engine.Sip.Dialogs;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Outbound;

/// <summary>
/// One outbound call leg (UAC): the initial INVITE with fail-over across resolved targets and trunks, digest
/// answers, CANCEL, and after the answer the dialog (BYE, re-INVITE both ways). Session timers are not offered on
/// this leg (no <c>Supported: timer</c>): the inbound leg already refreshes the call, and a BYE from either side
/// ends both. Threading: state is guarded by <see cref="_lock"/>; the observer is called outside it.
/// </summary>
public sealed partial class OutboundLeg
{
    private readonly OutboundDialer _dialer;
    private readonly ILogger _logger;
    private readonly IOutboundLegObserver _observer;
    private readonly Lock _lock = new();
    private readonly List<Route> _routes = [];
    private readonly HashSet<string> _answeredRealms = new(StringComparer.Ordinal);

    // Guarded by _lock.
    private OutboundLegState _state;
    private int _routeIndex = -1;
    private IReadOnlyList<SipTarget> _targets = [];
    private int _targetIndex;
    private Attempt? _attempt;
    private uint _cseq;
    private bool _provisional;
    private bool _cancelRequested;
    private bool _cancelSent;
    private bool _outcomeReported;
    private int _lastStatus = 503;
    private string _lastReason = "Service Unavailable";
    private ITimer? _ringTimer;

    internal OutboundLeg(OutboundDialer dialer, DialRequest request, IOutboundLegObserver observer)
    {
        _dialer = dialer;
        _logger = dialer.Logger;
        Request = request;
        _observer = observer;
        CallId = dialer.Ids.NewCallId();
        LocalTag = dialer.Ids.NewTag();
        _cseq = dialer.Ids.NewInitialCSeq();
        var destination = request.Destination.Trim();
        if (destination.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || destination.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        {
            _routes.Add(new Route(null, destination, destination, SipTransportKind.Udp));
        }
        else
        {
            var up = request.Trunks.Where(t => t.State == TrunkState.Up).ToList();
            // Down trunks are skipped unless every trunk is down: then all are tried in order anyway.
            foreach (var trunk in up.Count > 0 ? up : request.Trunks)
            {
                var transport = trunk.Transport == SipTransportKind.Tcp ? ";transport=tcp" : string.Empty;
                _routes.Add(new Route(trunk, $"sip:{destination}@{trunk.HostPort}{transport}", trunk.TerminationUri, trunk.Transport));
            }
        }
    }

    public DialRequest Request { get; }

    /// <summary>Our Call-ID for this leg (the same across fail-over and authentication).</summary>
    public string CallId { get; }

    public string LocalTag { get; }

    public OutboundLegState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>The trunk the current or answering INVITE went through; null for a SIP URI dialled directly.</summary>
    public OutboundTrunk? Trunk
    {
        get
        {
            lock (_lock)
            {
                return _routeIndex >= 0 && _routeIndex < _routes.Count ? _routes[_routeIndex].Trunk : null;
            }
        }
    }

    /// <summary>Where the current or answering INVITE went.</summary>
    public SipRemote? Target
    {
        get
        {
            lock (_lock)
            {
                return _attempt?.Remote;
            }
        }
    }

    internal void Start()
    {
        lock (_lock)
        {
            if (Request.RingTimeout > TimeSpan.Zero && Request.RingTimeout != Timeout.InfiniteTimeSpan)
            {
                _ringTimer = _dialer.Time.CreateTimer(static s => ((OutboundLeg)s!).OnRingTimeout(), this, Request.RingTimeout, Timeout.InfiniteTimeSpan);
            }
        }

        _ = NextRouteAsync();
    }

    /// <summary>Tries the next trunk (or the SIP URI): resolve it, then its first target.</summary>
    private async Task NextRouteAsync()
    {
        while (true)
        {
            Route route;
            lock (_lock)
            {
                if (_cancelRequested || _state == OutboundLegState.Ended)
                {
                    return;
                }

                _routeIndex++;
                if (_routeIndex >= _routes.Count)
                {
                    break;
                }

                route = _routes[_routeIndex];
            }

            SipResolution resolution;
            try
            {
                resolution = await _dialer.Resolver.ResolveAsync(route.ResolveUri, route.Transport).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
                resolution = SipResolution.Failed(e.Message);
            }

            if (!resolution.Success)
            {
                LogUnresolved(CallId, route.ResolveUri, resolution.Error ?? "no targets");
                _dialer.Metrics.Failover("dns");
                continue;
            }

            lock (_lock)
            {
                _targets = resolution.Targets;
                _targetIndex = 0;
            }

            SendInitialInvite(authorization: null);
            return;
        }

        int status;
        string reason;
        lock (_lock)
        {
            status = _lastStatus;
            reason = _lastReason;
        }

        ReportFailure(status, reason);
    }

    /// <summary>The next target of the current route, else the next route.</summary>
    private void FailOver(string why)
    {
        bool more;
        lock (_lock)
        {
            if (_cancelRequested || _state == OutboundLegState.Ended)
            {
                return;
            }

            _targetIndex++;
            _provisional = false;
            more = _targetIndex < _targets.Count;
        }

        _dialer.Metrics.Failover(why);
        if (more)
        {
            SendInitialInvite(authorization: null);
        }
        else
        {
            _ = NextRouteAsync();
        }
    }

    private void SendInitialInvite(string? authorization)
    {
        Attempt? attempt;
        lock (_lock)
        {
            if (_cancelRequested || _state == OutboundLegState.Ended)
            {
                return;
            }

            var target = _targets[_targetIndex];
            var listener = _dialer.Transport.ListenerFor(target.Remote);
            var route = _routes[_routeIndex];
            if (listener is null)
            {
                _lastStatus = 503;
                _lastReason = "No listener for " + target.Remote.Transport;
                attempt = null;
            }
            else
            {
                attempt = BuildAttempt(route, target, listener, ++_cseq, authorization);
                _attempt = attempt;
            }
        }

        if (attempt is null)
        {
            FailOver("transport");
            return;
        }

        LogInvite(CallId, attempt.RequestUri, attempt.Remote.EndPoint, attempt.Route.Trunk?.Name ?? "-");
        var transaction = _dialer.Transactions.StartClientInvite(
            Encoding.ASCII.GetBytes(attempt.Branch), attempt.Remote, attempt.Bytes, (_, response) => BuildNon2xxAck(attempt, response as SipMessage), this);
        lock (_lock)
        {
            attempt.Transaction = transaction;
        }
    }

    private Attempt BuildAttempt(Route route, SipTarget target, SipListener listener, uint cseq, string? authorization)
    {
        var branch = _dialer.Ids.NewBranch();
        var via = _dialer.Via(listener, branch);
        var ourHost = _dialer.AdvertisedHost(listener);
        var fromHost = route.Trunk?.Host ?? ourHost;
        var presented = route.Trunk?.CallerIdPolicy == CallerIdPolicy.TrackingNumber && Request.TrackingNumber is { Length: > 0 } tracking
            ? tracking
            : Request.CallerNumber;
        var display = Request.CallerDisplayName is { Length: > 0 } name ? "\"" + name.Replace("\"", string.Empty, StringComparison.Ordinal) + "\" " : string.Empty;
        var from = $"{display}<sip:{presented}@{fromHost}>;tag={LocalTag}";
        var to = "<" + StripParameters(route.RequestUri) + ">";
        var text = new StringBuilder(1024)
            .Append("INVITE ").Append(route.RequestUri).Append(" SIP/2.0\r\n")
            .Append("Via: ").Append(via).Append("\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append("From: ").Append(from).Append("\r\n")
            .Append("To: ").Append(to).Append("\r\n")
            .Append("Call-ID: ").Append(CallId).Append("\r\n")
            .Append("CSeq: ").Append(cseq).Append(" INVITE\r\n")
            .Append("Contact: ").Append(_dialer.Contact(listener)).Append("\r\n");
        if (Request.TrackingNumber is { Length: > 0 } number)
        {
            if (route.Trunk is null || route.Trunk.UsesDiversion)
            {
                // RFC 5806: the number the call was diverted from, i.e. the tracking number the caller dialled.
                text.Append("Diversion: <sip:").Append(number).Append('@').Append(fromHost).Append(">;reason=unconditional\r\n");
            }
            else
            {
                text.Append(route.Trunk.TrackingHeader).Append(": ").Append(number).Append("\r\n");
            }
        }

        if (_dialer.Options.SendPAssertedIdentity || route.Trunk?.SendPAssertedIdentity == true)
        {
            text.Append("P-Asserted-Identity: ").Append(display).Append("<sip:").Append(presented).Append('@').Append(fromHost).Append(">\r\n");
        }

        if (authorization is not null)
        {
            text.Append(authorization).Append("\r\n");
        }

        text.Append("Allow: ").Append(Core.SipCore.AllowedMethods).Append("\r\n")
            .Append("User-Agent: ").Append(_dialer.Options.UserAgent).Append("\r\n");
        foreach (var (headerName, value) in Request.ExtraHeaders)
        {
            text.Append(headerName).Append(": ").Append(value).Append("\r\n");
        }

        var body = Request.SdpOffer;
        if (!body.IsEmpty)
        {
            text.Append("Content-Type: application/sdp\r\n");
        }

        text.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        var head = Encoding.ASCII.GetBytes(text.ToString());
        var bytes = new byte[head.Length + body.Length];
        head.CopyTo(bytes, 0);
        body.Span.CopyTo(bytes.AsSpan(head.Length));
        return new Attempt(route, target.Remote, branch, via, cseq, route.RequestUri, from, to, bytes);
    }

    /// <summary>RFC 3261 §17.1.1.3: the ACK for a non-2xx has the INVITE's Request-URI, top Via, From, Call-ID
    /// and CSeq number, and the response's To.</summary>
    private ReadOnlyMemory<byte> BuildNon2xxAck(Attempt attempt, SipMessage? response)
    {
        var to = attempt.To;
        if (response is not null && response.TryGetHeader(HeaderKind.To, out var responseTo))
        {
            to = Encoding.ASCII.GetString(responseTo);
        }

        return Encoding.ASCII.GetBytes(
            $"ACK {attempt.RequestUri} SIP/2.0\r\nVia: {attempt.Via}\r\nMax-Forwards: 70\r\nFrom: {attempt.From}\r\nTo: {to}\r\n" +
            $"Call-ID: {CallId}\r\nCSeq: {attempt.CSeq} ACK\r\nUser-Agent: {_dialer.Options.UserAgent}\r\nContent-Length: 0\r\n\r\n");
    }

    internal void OnResponse(ClientTransaction transaction, int statusCode, SipMessage response)
    {
        switch (transaction.Method)
        {
            case SipMethod.Invite when IsInitial(transaction):
                OnInitialInviteResponse(statusCode, response);
                break;
            case SipMethod.Invite:
                OnReinviteResponse(transaction, statusCode, response);
                break;
            case SipMethod.Bye when statusCode >= 200:
                OnByeDone();
                break;
        }
    }

    internal void OnClientFailure(ClientTransaction transaction, bool timeout)
    {
        switch (transaction.Method)
        {
            case SipMethod.Invite when IsInitial(transaction):
                lock (_lock)
                {
                    _lastStatus = timeout ? 408 : 503;
                    _lastReason = timeout ? "Request Timeout" : "Service Unavailable";
                }

                LogTargetFailed(CallId, transaction.Remote.EndPoint, timeout ? "time-out" : "transport error");
                FailOver(timeout ? "timeout" : "transport");
                break;
            case SipMethod.Invite:
                _observer.OnReinviteAnswered(this, 408, ReadOnlyMemory<byte>.Empty);
                break;
            case SipMethod.Bye:
                OnByeDone();
                break;
        }
    }

    private bool IsInitial(ClientTransaction transaction)
    {
        lock (_lock)
        {
            return _attempt?.Transaction == transaction || _attempt?.Branch == Encoding.ASCII.GetString(transaction.Key.Branch);
        }
    }

    private void OnInitialInviteResponse(int statusCode, SipMessage response)
    {
        if (statusCode < 200)
        {
            OnInitialProvisional(statusCode, response);
            return;
        }

        var reason = Encoding.ASCII.GetString(response.ReasonPhrase);
        switch (FailoverDecision.ForStatus(statusCode))
        {
            case FailoverAction.Answered:
                OnInitial2xx(response);
                return;
            case FailoverAction.Authenticate when TryBuildAuthorization(statusCode, response, out var authorization):
                _dialer.Metrics.AuthenticationChallenge();
                SendInitialInvite(authorization);
                return;
            case FailoverAction.TryNext:
                lock (_lock)
                {
                    _lastStatus = statusCode;
                    _lastReason = reason;
                }

                LogTargetFailed(CallId, Target?.EndPoint, $"{statusCode} {reason}");
                FailOver(statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return;
            default:
                ReportFailure(statusCode, reason);
                return;
        }
    }

    private void OnInitialProvisional(int statusCode, SipMessage response)
    {
        bool sendCancel;
        bool report;
        lock (_lock)
        {
            _provisional = true;
            sendCancel = _cancelRequested && !_cancelSent;
            _cancelSent |= sendCancel;
            report = !_cancelRequested && _state != OutboundLegState.Ended && statusCode > 100;
            if (report)
            {
                _state = OutboundLegState.Ringing;
            }
        }

        if (sendCancel)
        {
            SendCancel();
            return;
        }

        if (report)
        {
            var body = IsSdp(response) ? response.Body.ToArray() : [];
            _observer.OnProvisional(this, statusCode, Encoding.ASCII.GetString(response.ReasonPhrase), body);
        }
    }

    private void ReportFailure(int statusCode, string reason)
    {
        lock (_lock)
        {
            if (_outcomeReported)
            {
                return;
            }

            _outcomeReported = true;
            _state = OutboundLegState.Ended;
            _ringTimer?.Dispose();
        }

        _dialer.Metrics.Failed(statusCode);
        LogFailed(CallId, statusCode, reason);
        _observer.OnFailed(this, statusCode, reason);
    }

    private static bool IsSdp(SipMessage message)
        => !message.Body.IsEmpty && message.TryGetHeader(HeaderKind.ContentType, out var type) && type.IndexOf("application/sdp"u8) >= 0;

    private static string StripParameters(string uri)
    {
        var at = uri.IndexOf('@', StringComparison.Ordinal);
        var semicolon = uri.IndexOf(';', Math.Max(at, 0));
        return semicolon < 0 ? uri : uri[..semicolon];
    }

    private static bool TryLiteralTarget(string uriText, SipTransportKind transport, out SipRemote remote)
    {
        remote = default;
        if (!SipDnsResolver.TryReadUri(uriText, transport, out var host, out var port, out var kind) || !IPAddress.TryParse(host, out var address))
        {
            return false;
        }

        remote = new SipRemote(kind, new IPEndPoint(address, port == 0 ? SipDnsResolver.DefaultPort : port));
        return true;
    }

    private static ReadOnlyMemory<byte> Write(Dialog dialog, SipMethod method, uint cseq, string via, string contact, string userAgent, string extra, ReadOnlySpan<byte> body)
    {
        var output = new ArrayBufferWriter<byte>(512 + body.Length);
        DialogRequestWriter.Write(output, dialog, method, cseq, via, contact, userAgent, extra, body.IsEmpty ? default : "application/sdp"u8, body);
        return output.WrittenMemory;
    }

    private sealed record Route(OutboundTrunk? Trunk, string RequestUri, string ResolveUri, SipTransportKind Transport);

    private sealed record Attempt(Route Route, SipRemote Remote, string Branch, string Via, uint CSeq, string RequestUri, string From, string To, byte[] Bytes)
    {
        public ClientInviteTransaction? Transaction { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound {CallId}: INVITE {RequestUri} to {Target} through trunk {Trunk}")]
    private partial void LogInvite(string callId, string requestUri, IPEndPoint target, string trunk);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound {CallId}: cannot resolve {Uri}: {Error}. Check the trunk's Outbound:Uri and the name servers in /etc/resolv.conf")]
    private partial void LogUnresolved(string callId, string uri, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound {CallId}: target {Target} failed ({Why}); trying the next")]
    private partial void LogTargetFailed(string callId, IPEndPoint? target, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound {CallId}: not answered, {Status} {Reason}")]
    private partial void LogFailed(string callId, int status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound {CallId}: answered by {Target}")]
    private partial void LogAnswered(string callId, IPEndPoint? target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound {CallId}: ended ({Who} hung up)")]
    private partial void LogEnded(string callId, string who);
}
