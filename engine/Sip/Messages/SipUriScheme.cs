namespace CallTracking.Engine.Sip.Messages;

/// <summary>URI schemes the engine reads (RFC 3261 §19.1, RFC 3966).</summary>
public enum SipUriScheme : byte
{
    Sip,
    Sips,
    Tel,
}
