namespace CallTracking.Engine.Sip.Sdp;

/// <summary>
/// The <c>o=</c> line (RFC 4566 §5.2). Session id and version are kept as the digit
/// strings the peer sent: RFC 4566 only says 1*DIGIT, and some peers exceed 64 bits.
/// </summary>
public sealed record SdpOrigin(string Username, string SessionId, string SessionVersion, string NetworkType, string AddressType, string Address)
{
    public override string ToString() => $"o={Username} {SessionId} {SessionVersion} {NetworkType} {AddressType} {Address}";
}
