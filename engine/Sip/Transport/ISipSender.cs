namespace CallTracking.Engine.Sip.Transport;

/// <summary>
/// Hands a complete, serialized SIP message to the transport layer. The call does not block:
/// stream transports queue the bytes on the connection. The caller keeps ownership of
/// <paramref name="message"/>; the transport copies what it must keep.
/// </summary>
public interface ISipSender
{
    /// <returns>false when the message could not be handed over (no such connection, socket closed):
    /// a transport error in the sense of RFC 3261 §17.1.4.</returns>
    bool TrySend(ReadOnlyMemory<byte> message, in SipRemote remote);
}
