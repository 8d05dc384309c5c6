namespace CallTracking.Engine.Sip.Messages;

/// <summary>SIP request methods the engine knows by name (RFC 3261 §7.1 and extensions).</summary>
public enum SipMethod : byte
{
    Unknown = 0,
    Invite,
    Ack,
    Bye,
    Cancel,
    Options,
    Register,
    Info,
    Update,
    Prack,
    Subscribe,
    Notify,
    Refer,
    Message,
    Publish,
}
