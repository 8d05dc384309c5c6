using System.Diagnostics.Metrics;

namespace CallTracking.Engine.Sip.Transport;

/// <summary>Counters an operator watches on the SIP transports. One instance per engine, shared by every listener.</summary>
public sealed class SipTransportMetrics
{
    public const string MeterName = "CallTracking.Sip";

    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _sendFailures;
    private readonly Counter<long> _parseFailures;
    private readonly Counter<long> _connectionsAccepted;
    private readonly UpDownCounter<long> _connectionsOpen;

    public SipTransportMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _received = meter.CreateCounter<long>("calltracking.sip.messages.received", "{message}", "SIP messages framed from the network");
        _sent = meter.CreateCounter<long>("calltracking.sip.messages.sent", "{message}", "SIP messages handed to a socket");
        _sendFailures = meter.CreateCounter<long>("calltracking.sip.send.failures", "{message}", "SIP messages that could not be sent");
        _parseFailures = meter.CreateCounter<long>("calltracking.sip.parse.failures", "{message}", "Messages that could not be parsed");
        _connectionsAccepted = meter.CreateCounter<long>("calltracking.sip.connections.accepted", "{connection}", "TCP connections accepted");
        _connectionsOpen = meter.CreateUpDownCounter<long>("calltracking.sip.connections.open", "{connection}", "TCP connections open");
    }

    public void Received(SipTransportKind transport) => _received.Add(1, new KeyValuePair<string, object?>("transport", Name(transport)));

    public void Sent(SipTransportKind transport) => _sent.Add(1, new KeyValuePair<string, object?>("transport", Name(transport)));

    public void SendFailed(SipTransportKind transport) => _sendFailures.Add(1, new KeyValuePair<string, object?>("transport", Name(transport)));

    public void ParseFailed(SipTransportKind transport) => _parseFailures.Add(1, new KeyValuePair<string, object?>("transport", Name(transport)));

    /// <param name="inbound">A connection a peer opened to us (counted as accepted) rather than one we opened.</param>
    public void ConnectionOpened(bool inbound)
    {
        if (inbound)
        {
            _connectionsAccepted.Add(1);
        }

        _connectionsOpen.Add(1);
    }

    public void ConnectionClosed() => _connectionsOpen.Add(-1);

    private static string Name(SipTransportKind transport) => transport switch
    {
        SipTransportKind.Udp => "udp",
        SipTransportKind.Tcp => "tcp",
        _ => "tls",
    };
}
