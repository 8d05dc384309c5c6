using System.Net;

namespace CallTracking.Engine.Sip.Sdp;

/// <summary>
/// What an accepted audio stream was agreed as: the codec with the payload type the
/// peer uses, RFC 4733 events if any, packet time, where to send, and our direction.
/// </summary>
/// <param name="RemoteAddress">Where to send RTP; the unspecified address while the peer holds the call.</param>
/// <param name="Direction">Our direction as written in our description (recvonly while the peer holds).</param>
public sealed record SdpNegotiatedAudio(
    SdpCodec Codec,
    int? TelephoneEventPayloadType,
    int PtimeMs,
    IPAddress RemoteAddress,
    int RemotePort,
    SdpDirection Direction);
