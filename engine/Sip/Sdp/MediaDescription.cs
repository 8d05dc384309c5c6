using System.Globalization;
using System.Text;

namespace CallTracking.Engine.Sip.Sdp;

/// <summary>An <c>m=</c> section (RFC 4566 §5.14) with its <c>c=</c>, other lines and attributes.</summary>
public sealed class MediaDescription
{
    public MediaDescription(string media, int port, string protocol, IEnumerable<string> formats)
    {
        ArgumentException.ThrowIfNullOrEmpty(media);
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        ArgumentNullException.ThrowIfNull(formats);
        Media = media;
        Port = port;
        Protocol = protocol;
        Formats = [.. formats];
    }

    /// <summary><c>audio</c>, <c>video</c>, <c>application</c>, …</summary>
    public string Media { get; set; }

    /// <summary>Transport port; 0 marks a rejected or disabled stream (RFC 3264 §6).</summary>
    public int Port { get; set; }

    /// <summary>The <c>/n</c> after the port (RFC 4566 §5.14), if present.</summary>
    public int? PortCount { get; set; }

    /// <summary><c>RTP/AVP</c>, <c>RTP/SAVP</c>, <c>UDP/TLS/RTP/SAVPF</c>, …</summary>
    public string Protocol { get; set; }

    /// <summary>Payload types for RTP profiles, in the sender's order of preference.</summary>
    public IList<string> Formats { get; }

    public SdpConnection? Connection { get; set; }

    /// <summary><c>i=</c>, <c>b=</c> and <c>k=</c> lines, kept as written.</summary>
    public IList<SdpField> OtherFields { get; } = [];

    public IList<SdpAttribute> Attributes { get; } = [];

    /// <summary>This section's own direction attribute, or null when it has none (then the session's applies).</summary>
    public SdpDirection? Direction
    {
        get => SdpDirections.Find(Attributes);
        set => SdpDirections.Set(Attributes, value);
    }

    /// <summary>The <c>a=ptime</c> value in milliseconds, rounded, if present and numeric.</summary>
    public int? Ptime => GetAttribute("ptime") is { } text
        && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var ms)
        ? (int)Math.Round(ms, MidpointRounding.AwayFromZero)
        : null;

    /// <summary>The first value of the named attribute, or null.</summary>
    public string? GetAttribute(string name) =>
        Attributes.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>The rtpmap of a payload type: its <c>a=rtpmap</c>, else the RFC 3551 static assignment.</summary>
    public bool TryGetRtpMap(string format, out SdpRtpMap rtpMap)
    {
        foreach (var attribute in Attributes)
        {
            if (string.Equals(attribute.Name, "rtpmap", StringComparison.OrdinalIgnoreCase)
                && SdpRtpMap.TryParse(attribute.Value, out rtpMap)
                && string.Equals(rtpMap.PayloadType.ToString(CultureInfo.InvariantCulture), format, StringComparison.Ordinal))
            {
                return true;
            }
        }

        rtpMap = default;
        return SdpRtpMap.TryParsePayloadType(format, out var payloadType) && payloadType < 96
            && SdpStaticPayloadTypes.TryGet(payloadType, out rtpMap);
    }

    /// <summary>The <c>a=fmtp</c> parameters for a format, or null.</summary>
    public string? GetFormatParameters(string format)
    {
        foreach (var attribute in Attributes)
        {
            if (string.Equals(attribute.Name, "fmtp", StringComparison.OrdinalIgnoreCase) && attribute.Value is { } value)
            {
                var space = value.IndexOf(' ', StringComparison.Ordinal);
                var fmt = space < 0 ? value : value[..space];
                if (string.Equals(fmt, format, StringComparison.Ordinal))
                {
                    return space < 0 ? string.Empty : value[(space + 1)..];
                }
            }
        }

        return null;
    }

    internal void WriteTo(StringBuilder sdp)
    {
        sdp.Append("m=").Append(Media).Append(' ').Append(Port.ToString(CultureInfo.InvariantCulture));
        if (PortCount is { } count)
        {
            sdp.Append('/').Append(count.ToString(CultureInfo.InvariantCulture));
        }

        sdp.Append(' ').Append(Protocol);
        foreach (var format in Formats)
        {
            sdp.Append(' ').Append(format);
        }

        sdp.Append("\r\n");

        // RFC 4566 §5: i= then c= then b= then k= then a= within a media section.
        SessionDescription.WriteFields(sdp, OtherFields, "i");
        if (Connection is not null)
        {
            sdp.Append(Connection.ToString()).Append("\r\n");
        }

        SessionDescription.WriteFields(sdp, OtherFields, "bk");
        foreach (var attribute in Attributes)
        {
            sdp.Append(attribute.ToString()).Append("\r\n");
        }
    }
}
