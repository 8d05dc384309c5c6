
namespace CallTracking.Engine.Sip.Transport;

/// <summary>What the core needs of the transports: send, and know which listener a message leaves from.</summary>
public interface ISipTransport : ISipSender
{
    /// <summary>The listener whose address our Via and Contact must carry for a message to <paramref name="remote"/>.</summary>
    SipListener? ListenerFor(in SipRemote remote);
}
