namespace CallTracking.Engine.Sip.Sdp;

/// <summary>Media direction attributes (RFC 4566 §6.7; RFC 3264 §5.1), from the describing side's point of view.</summary>
public enum SdpDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}
