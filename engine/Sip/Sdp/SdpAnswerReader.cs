using System.Net;

namespace CallTracking.Engine.Sip.Sdp;

/// <summary>
/// Reads the peer's answer to an offer of ours (RFC 3264 §7): the first accepted audio stream, the codec it chose
/// among ours (PCMU or PCMA), its telephone-event type and where to send.
/// </summary>
public static class SdpAnswerReader
{
    public static bool TryRead(SessionDescription answer, out SdpNegotiatedAudio audio)
    {
        ArgumentNullException.ThrowIfNull(answer);
        foreach (var media in answer.Media)
        {
            if (media.Port == 0 || !media.Media.Equals("audio", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            SdpCodec? codec = null;
            int? telephoneEvent = null;
            foreach (var format in media.Formats)
            {
                if (!SdpRtpMap.TryParsePayloadType(format, out var payloadType))
                {
                    continue;
                }

                var known = media.TryGetRtpMap(format, out var map) || SdpStaticPayloadTypes.TryGet(payloadType, out map);
                if (!known)
                {
                    continue;
                }

                if (codec is null && (map.EncodingName.Equals("PCMU", StringComparison.OrdinalIgnoreCase) || map.EncodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase)) && map.ClockRate == 8000)
                {
                    codec = new SdpCodec(payloadType, map.EncodingName.ToUpperInvariant(), 8000);
                }
                else if (telephoneEvent is null && map.EncodingName.Equals(SdpCodec.TelephoneEvent, StringComparison.OrdinalIgnoreCase))
                {
                    telephoneEvent = payloadType;
                }
            }

            if (codec is null || answer.EffectiveConnection(media) is not { } connection || !connection.TryGetIPAddress(out var address))
            {
                continue;
            }

            // Our direction is the mirror of theirs (RFC 3264 §6.1).
            var theirs = answer.EffectiveDirection(media);
            var ours = SdpDirections.From(sends: SdpDirections.Receives(theirs), receives: SdpDirections.Sends(theirs));
            audio = new SdpNegotiatedAudio(codec, telephoneEvent, media.Ptime ?? 20, connection.IsUnspecified ? IPAddress.Any : address, media.Port, ours);
            return true;
        }

        audio = null!;
        return false;
    }
}
