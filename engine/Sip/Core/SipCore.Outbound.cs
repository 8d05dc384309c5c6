using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Outbound;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Engine.Sip.Core;

public sealed partial class SipCore
{
    // Set once by the composition root before the transports start; read on the receive threads.
    private OutboundDialer? _outbound;

    /// <summary>
    /// Lets the outbound dialer see every received message first: responses to its client transactions and requests
    /// inside its dialogs are its own (matched by random branch, Call-ID and tags, so they pass without inbound
    /// admission: a business's trunk need not be in any inbound allow-list). Everything else continues here.
    /// </summary>
    public void AttachOutbound(OutboundDialer dialer)
    {
        ArgumentNullException.ThrowIfNull(dialer);
        Volatile.Write(ref _outbound, dialer);
    }

    private bool TryOutbound(SipMessage message, SipParseStatus status, in SipRemote source)
        => Volatile.Read(ref _outbound) is { } dialer && dialer.TryReceive(message, status, source);
}
