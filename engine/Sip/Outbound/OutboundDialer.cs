using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CallTracking.Engine.Sip.Core;
using CallTracking.Engine.Sip.Dialogs;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Transactions;
using CallTracking.Engine.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace CallTracking.Engine.Sip.Outbound;

/// <summary>
/// The UAC side of the engine: places outbound legs (<see cref="Dial"/>) and OPTIONS pings, and takes the responses
/// and in-dialog requests that belong to them. It keeps its own transaction table (branches are random, so the two
/// tables never share a key); <see cref="SipCore"/> offers it every message first through
/// <see cref="TryReceive"/>, and a stand-alone stack (tests) can bind it to a transport directly as the handler.
/// </summary>
public sealed partial class OutboundDialer : ITransactionUser, ISipMessageHandler, IDisposable
{
    private readonly ConcurrentDictionary<DialogId, OutboundLeg> _legs = new();

    public OutboundDialer(
        OutboundDialerOptions options,
        ISipTransport transport,
        SipDnsResolver resolver,
        SipTimerSettings timers,
        SipIdentifiers ids,
        TimeProvider time,
        Meter meter,
        ILogger<OutboundDialer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Transport = transport;
        Resolver = resolver;
        Ids = ids;
        Time = time;
        Logger = logger;
        Metrics = new OutboundMetrics(meter);
        Transactions = new TransactionTable(transport, this, time, timers, meter);
    }

    /// <summary>Answered legs now.</summary>
    public int ActiveLegs => _legs.Count;

    internal OutboundDialerOptions Options { get; }

    internal ISipTransport Transport { get; }

    internal SipDnsResolver Resolver { get; }

    internal SipIdentifiers Ids { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    internal OutboundMetrics Metrics { get; }

    internal TransactionTable Transactions { get; }

    internal SipTimerSettings Timers => Transactions.Settings;

    /// <summary>Starts an outbound leg; the outcome arrives at <paramref name="observer"/>.</summary>
    public OutboundLeg Dial(DialRequest request, IOutboundLegObserver observer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        var leg = new OutboundLeg(this, request, observer);
        Metrics.Dial();
        leg.Start();
        return leg;
    }

    /// <summary>
    /// Sends OPTIONS to <paramref name="target"/> (RFC 3261 §11) and returns the final status, or 0 on time-out
    /// (Timer F) or transport error.
    /// </summary>
    public Task<int> PingAsync(SipTarget target, string requestUri)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        var listener = Transport.ListenerFor(target.Remote);
        var completion = new PingCompletion();
        if (listener is null)
        {
            return Task.FromResult(0);
        }

        var branch = Ids.NewBranch();
        var text = new StringBuilder()
            .Append("OPTIONS ").Append(requestUri).Append(" SIP/2.0\r\n")
            .Append("Via: ").Append(Via(listener, branch)).Append("\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append("From: <sip:ping@").Append(AdvertisedHost(listener)).Append(">;tag=").Append(Ids.NewTag()).Append("\r\n")
            .Append("To: <").Append(requestUri).Append(">\r\n")
            .Append("Call-ID: ").Append(Ids.NewCallId()).Append("\r\n")
            .Append("CSeq: 1 OPTIONS\r\n")
            .Append("Contact: ").Append(Contact(listener)).Append("\r\n")
            .Append("Accept: application/sdp\r\n")
            .Append("User-Agent: ").Append(Options.UserAgent).Append("\r\n")
            .Append("Content-Length: 0\r\n\r\n");
        Transactions.StartClientNonInvite(Encoding.ASCII.GetBytes(branch), SipMethod.Options, target.Remote, Encoding.ASCII.GetBytes(text.ToString()), completion);
        return completion.Task;
    }

    /// <summary>
    /// Takes a message if it belongs to us: a response to one of our client transactions (or a late 2xx for one of
    /// our dialogs), a retransmitted request we already answered, or a request inside an outbound dialog.
    /// Called on the receive thread before inbound admission: the branch, Call-ID and tags we match on are random,
    /// so a stranger cannot guess their way in.
    /// </summary>
    public bool TryReceive(SipMessage message, SipParseStatus status, in SipRemote source)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (status != SipParseStatus.Complete)
        {
            return false;
        }

        if (message.IsResponse)
        {
            var key = TransactionKeyView.ForClient(message.TopVia.Branch, message.CSeqMethod);
            if (Transactions.ReceiveResponse(key, message.StatusCode, message))
            {
                return true;
            }

            // RFC 3261 §13.2.2.4: a 2xx retransmitted after the INVITE transaction ended is ACKed again.
            if (message.CSeqMethod == SipMethod.Invite && message.StatusCode is >= 200 and < 300 && !message.FromTag.IsEmpty
                && _legs.TryGetValue(new DialogId(Encoding.ASCII.GetString(message.CallId), Encoding.ASCII.GetString(message.FromTag), Encoding.ASCII.GetString(message.ToTag)), out var owner))
            {
                owner.OnLate2xx(message);
                return true;
            }

            return false;
        }

        var via = message.TopVia;
        var serverKey = TransactionKeyView.ForServer(via.Branch, via.SentBy, message.Method);
        if (message.ToTag.IsEmpty)
        {
            return false;
        }

        var id = new DialogId(Encoding.ASCII.GetString(message.CallId), Encoding.ASCII.GetString(message.ToTag), Encoding.ASCII.GetString(message.FromTag));
        if (!_legs.TryGetValue(id, out var leg))
        {
            return false;
        }

        if (Transactions.ReceiveRequest(serverKey, message) != RequestDisposition.NoMatch)
        {
            return true;
        }

        leg.OnInDialogRequest(message, serverKey, source);
        return true;
    }

    void ISipMessageHandler.OnReceived(SipMessage message, SipParseStatus status, SipParseError error, in SipRemote source, SipListener listener)
        => TryReceive(message, status, source);

    internal void Register(OutboundLeg leg, DialogId id) => _legs[id] = leg;

    internal void Unregister(OutboundLeg leg, DialogId id) => _legs.TryRemove(new KeyValuePair<DialogId, OutboundLeg>(id, leg));

    internal string AdvertisedHost(SipListener listener)
    {
        if (Options.PublicAddress is { Length: > 0 } configured)
        {
            return configured;
        }

        var address = listener.LocalEndPoint.Address;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    internal string Via(SipListener listener, string branch)
        => $"SIP/2.0/{listener.ViaTransport} {AdvertisedHost(listener)}:{listener.LocalEndPoint.Port};branch={branch};rport";

    internal string Contact(SipListener listener)
    {
        var transport = listener.Transport == SipTransportKind.Udp ? string.Empty : ";transport=" + listener.ViaTransport.ToLowerInvariant();
        return $"<sip:{AdvertisedHost(listener)}:{listener.LocalEndPoint.Port}{transport}>";
    }

    void ITransactionUser.OnResponse(ClientTransaction transaction, int statusCode, object? message)
    {
        switch (transaction.UserState)
        {
            case OutboundLeg leg when message is SipMessage response:
                leg.OnResponse(transaction, statusCode, response);
                break;
            case PingCompletion ping when statusCode >= 200:
                ping.TrySetResult(statusCode);
                break;
        }
    }

    void ITransactionUser.OnAckFor2xx(ServerInviteTransaction transaction, object? ack)
    {
        // The re-INVITE we answered is confirmed; nothing else to do (its answer was already applied).
    }

    void ITransactionUser.OnNoAckFor2xx(ServerInviteTransaction transaction)
    {
        if (transaction.UserState is OutboundLeg leg)
        {
            // RFC 3261 §13.3.1.4: our 2xx to their re-INVITE was never ACKed: the session is gone.
            leg.Hangup();
        }
    }

    void ITransactionUser.OnTimeout(SipTransaction transaction) => OnClientFailure(transaction, timeout: true);

    void ITransactionUser.OnTransportError(SipTransaction transaction) => OnClientFailure(transaction, timeout: false);

    private static void OnClientFailure(SipTransaction transaction, bool timeout)
    {
        switch (transaction.UserState)
        {
            case OutboundLeg leg when transaction is ClientTransaction client:
                leg.OnClientFailure(client, timeout);
                break;
            case PingCompletion ping:
                ping.TrySetResult(0);
                break;
        }
    }

    public void Dispose() => Transactions.Dispose();

    private sealed class PingCompletion : TaskCompletionSource<int>
    {
        public PingCompletion()
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
        }
    }
}
