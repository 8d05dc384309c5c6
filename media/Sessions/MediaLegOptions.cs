using System.Net;
using CallTracking.Media.Codecs;

namespace CallTracking.Media.Sessions;

/// <summary>
/// What offer/answer agreed for one leg: the codec and its payload type, RFC 4733 events and theirs, and where
/// the peer said it will send from (and wants to receive on).
/// </summary>
/// <param name="Remote">The address and port from the peer's SDP; null while it holds the call (c=0.0.0.0).</param>
/// <param name="LatchAnySource">Accept RTP from any address and answer there (NATed carriers): RFC 4961 symmetric RTP.</param>
public sealed record MediaLegOptions(
    AudioCodec Codec,
    int PayloadType,
    int? TelephoneEventPayloadType,
    IPEndPoint? Remote,
    bool LatchAnySource,
    TimeSpan InactivityTimeout)
{
    /// <summary>
    /// False when the agreed direction forbids us to send (RFC 3264 §6.1: our side recvonly or inactive, e.g. the peer
    /// put the call on hold with sendonly). The leg then sends nothing (a bridge stays in place); a null
    /// <see cref="Remote"/> means the same.
    /// </summary>
    public bool Send { get; init; } = true;
}
