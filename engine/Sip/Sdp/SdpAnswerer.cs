using System.Globalization;
using System.Net;

namespace CallTracking.Engine.Sip.Sdp;

/// <summary>
/// Answers SDP offers (RFC 3264 §6): one audio stream is accepted with the first of
/// the offer's formats we support (the offerer's preference wins) plus
/// telephone-event under whatever payload type the offer gave it; every other stream
/// is rejected with port 0, keeping the number and order of m-lines.
/// </summary>
public sealed class SdpAnswerer
{
    private const string AudioProfile = "RTP/AVP";

    private readonly IReadOnlyList<SdpCodec> _codecs;

    /// <param name="codecs">Encodings we can handle; the offer's order decides among them. Default: PCMU, PCMA.</param>
    public SdpAnswerer(IReadOnlyList<SdpCodec>? codecs = null)
    {
        _codecs = codecs ?? [SdpCodec.Pcmu, SdpCodec.Pcma];
        if (_codecs.Count == 0)
        {
            throw new ArgumentException("At least one codec is needed.", nameof(codecs));
        }
    }

    /// <param name="localAddress">IP literal for our <c>c=</c> line.</param>
    /// <param name="localPort">Our RTP port for the accepted stream.</param>
    public SdpAnswerResult Answer(SessionDescription offer, string localAddress, int localPort, SdpSession session)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(session);
        if (!IPAddress.TryParse(localAddress, out var local))
        {
            throw new ArgumentException("Not an IP address.", nameof(localAddress));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(localPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(localPort, 65535);

        var connection = SdpConnection.ForAddress(local);
        var answer = new SessionDescription(offer.Origin) { Connection = connection };
        answer.Timings.Add("0 0");
        SdpNegotiatedAudio? accepted = null;
        string? reason = null;
        foreach (var media in offer.Media)
        {
            string? refusal = null;
            if (accepted is null && TryAccept(offer, media, localPort, session.LocalDirection, out var answered, out var audio, out refusal))
            {
                answer.Media.Add(answered);
                accepted = audio;
                continue;
            }

            reason ??= refusal;
            answer.Media.Add(Rejected(media));
        }

        if (accepted is null)
        {
            return SdpAnswerResult.Refused(reason ?? "no audio stream in the offer");
        }

        return SdpAnswerResult.Accepted(session.Commit(answer, connection), accepted);
    }

    private bool TryAccept(
        SessionDescription offer,
        MediaDescription media,
        int localPort,
        SdpDirection localDirection,
        out MediaDescription answered,
        out SdpNegotiatedAudio audio,
        out string? refusal)
    {
        answered = null!;
        audio = null!;
        refusal = null;
        if (!string.Equals(media.Media, "audio", StringComparison.OrdinalIgnoreCase) || media.Port == 0)
        {
            return false;
        }

        if (!string.Equals(media.Protocol, AudioProfile, StringComparison.OrdinalIgnoreCase))
        {
            // SRTP profiles (RTP/SAVP, UDP/TLS/RTP/SAVPF) need keys we cannot negotiate yet.
            refusal = $"audio over {media.Protocol} is not supported (only {AudioProfile})";
            return false;
        }

        var connection = offer.EffectiveConnection(media);
        if (connection is null || !connection.TryGetIPAddress(out var remote))
        {
            refusal = $"audio connection address \"{connection?.Address}\" is not an IP address";
            return false;
        }

        string? codecFormat = null;
        SdpCodec? codec = null;
        string? eventFormat = null;
        foreach (var format in media.Formats)
        {
            if (!media.TryGetRtpMap(format, out var rtpMap))
            {
                continue;
            }

            if (codec is null && _codecs.FirstOrDefault(c => c.Matches(rtpMap.EncodingName, rtpMap.ClockRate, rtpMap.Channels)) is { } supported)
            {
                codecFormat = format;
                codec = supported with { PayloadType = rtpMap.PayloadType };
            }
            else if (eventFormat is null && string.Equals(rtpMap.EncodingName, SdpCodec.TelephoneEvent, StringComparison.OrdinalIgnoreCase) && rtpMap.ClockRate == 8000)
            {
                eventFormat = format;
            }
        }

        if (codec is null)
        {
            refusal = "no common codec: offer had " + string.Join(", ", media.Formats.Select(f => Describe(media, f)));
            return false;
        }

        // RFC 3264 §6.1: the answer's direction mirrors the offer's. A c= of 0.0.0.0 is the
        // RFC 2543 hold: the offerer will not receive, whatever its attribute says (§8.4).
        var offered = offer.EffectiveDirection(media);
        var offerSends = SdpDirections.Sends(offered);
        var offerReceives = SdpDirections.Receives(offered) && !connection.IsUnspecified;
        var direction = SdpDirections.From(
            sends: offerReceives && SdpDirections.Sends(localDirection),
            receives: offerSends && SdpDirections.Receives(localDirection));

        var ptime = media.Ptime is { } offeredPtime and >= 10 and <= 60 ? offeredPtime : 20;
        var formats = media.Formats.Where(f => f == codecFormat || f == eventFormat).ToList();
        answered = new MediaDescription("audio", localPort, media.Protocol, formats);
        foreach (var format in formats)
        {
            media.TryGetRtpMap(format, out var rtpMap);
            answered.Attributes.Add(new SdpAttribute("rtpmap", rtpMap.ToString()));
            if (format == eventFormat)
            {
                // RFC 4733 §2.4.1: events 0-15 are the DTMF digits, 16 is flash.
                answered.Attributes.Add(new SdpAttribute("fmtp", format + " 0-16"));
            }
        }

        answered.Attributes.Add(new SdpAttribute("ptime", ptime.ToString(CultureInfo.InvariantCulture)));
        answered.Direction = direction;

        int? eventPayloadType = eventFormat is null ? null : int.Parse(eventFormat, CultureInfo.InvariantCulture);
        audio = new SdpNegotiatedAudio(codec, eventPayloadType, ptime, remote, media.Port, direction);
        return true;
    }

    // RFC 3264 §6: a rejected stream keeps its m-line with port 0 and the offered formats.
    private static MediaDescription Rejected(MediaDescription offered) =>
        new(offered.Media, 0, offered.Protocol, offered.Formats);

    private static string Describe(MediaDescription media, string format) =>
        media.TryGetRtpMap(format, out var rtpMap) ? $"{format} ({rtpMap.EncodingName})" : format;
}
