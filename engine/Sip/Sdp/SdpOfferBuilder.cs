using System.Globalization;
using System.Net;

namespace CallTracking.Engine.Sip.Sdp;

/// <summary>
/// Builds our offers: for an offer-less re-INVITE we must offer in the 200 (RFC 3261
/// §14.2), and outbound legs start with one. Offers our codecs plus RFC 4733
/// telephone-event, in the direction <see cref="SdpSession.LocalDirection"/> says.
/// </summary>
public sealed class SdpOfferBuilder
{
    /// <summary>The customary dynamic payload type for telephone-event.</summary>
    public const int DefaultTelephoneEventPayloadType = 101;

    private const int PtimeMs = 20;

    private readonly IReadOnlyList<SdpCodec> _codecs;
    private readonly int _telephoneEventPayloadType;

    public SdpOfferBuilder(IReadOnlyList<SdpCodec>? codecs = null, int telephoneEventPayloadType = DefaultTelephoneEventPayloadType)
    {
        _codecs = codecs ?? [SdpCodec.Pcmu, SdpCodec.Pcma];
        ArgumentOutOfRangeException.ThrowIfLessThan(telephoneEventPayloadType, 96);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(telephoneEventPayloadType, 127);
        _telephoneEventPayloadType = telephoneEventPayloadType;
    }

    public SessionDescription Build(string localAddress, int localPort, SdpSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!IPAddress.TryParse(localAddress, out var local))
        {
            throw new ArgumentException("Not an IP address.", nameof(localAddress));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(localPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(localPort, 65535);

        var connection = SdpConnection.ForAddress(local);
        var formats = _codecs.Select(c => c.PayloadType).Append(_telephoneEventPayloadType)
            .Select(pt => pt.ToString(CultureInfo.InvariantCulture)).ToList();
        var audio = new MediaDescription("audio", localPort, "RTP/AVP", formats);
        foreach (var codec in _codecs)
        {
            audio.Attributes.Add(new SdpAttribute("rtpmap", new SdpRtpMap(codec.PayloadType, codec.EncodingName, codec.ClockRate, null).ToString()));
        }

        var te = _telephoneEventPayloadType.ToString(CultureInfo.InvariantCulture);
        audio.Attributes.Add(new SdpAttribute("rtpmap", te + " telephone-event/8000"));
        audio.Attributes.Add(new SdpAttribute("fmtp", te + " 0-16"));
        audio.Attributes.Add(new SdpAttribute("ptime", PtimeMs.ToString(CultureInfo.InvariantCulture)));
        audio.Direction = session.LocalDirection;

        // The origin is replaced by the session's when committed.
        var offer = new SessionDescription(new SdpOrigin("-", "0", "0", connection.NetworkType, connection.AddressType, connection.Address))
        {
            Connection = connection,
        };
        offer.Timings.Add("0 0");
        offer.Media.Add(audio);
        return session.Commit(offer, connection);
    }
}
