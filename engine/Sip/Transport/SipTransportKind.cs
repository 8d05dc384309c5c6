namespace CallTracking.Engine.Sip.Transport;

/// <summary>The transport a SIP message travelled on (RFC 3261 §18).</summary>
public enum SipTransportKind : byte
{
    Udp,
    Tcp,
    Tls,
}
