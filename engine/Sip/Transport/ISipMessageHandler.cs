using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;

namespace CallTracking.Engine.Sip.Transport;

/// <summary>
/// The layer above the transports. Called on the receiving thread for every framed message.
/// <paramref name="message"/> is only valid for the duration of the call: the transport reuses it
/// for the next message, so whoever keeps it must <see cref="SipMessage.Clone"/> it.
/// </summary>
public interface ISipMessageHandler
{
    /// <param name="status"><see cref="SipParseStatus.Complete"/> or <see cref="SipParseStatus.Invalid"/>;
    /// an invalid message holds whatever the parser managed to index, so a 400 can still be answered.</param>
    void OnReceived(SipMessage message, SipParseStatus status, SipParseError error, in SipRemote source, SipListener listener);
}
