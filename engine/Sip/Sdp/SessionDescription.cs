using System.Text;

namespace CallTracking.Engine.Sip.Sdp;

/// <summary>
/// An SDP session description (RFC 8866, formerly RFC 4566). Parsing is strict and
/// never throws: <see cref="Parse"/> returns an error for malformed input. Lines this
/// model does not interpret are preserved; <see cref="ToString"/> writes CRLF lines in
/// the order RFC 8866 §5 prescribes.
/// </summary>
public sealed class SessionDescription
{
    public SessionDescription(SdpOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        Origin = origin;
    }

    public SdpOrigin Origin { get; set; }

    /// <summary>The <c>s=</c> value; RFC 3264 §5 suggests <c>-</c> when there is nothing to say.</summary>
    public string SessionName { get; set; } = "-";

    public SdpConnection? Connection { get; set; }

    /// <summary><c>t=</c> values (<c>0 0</c> for the unbounded sessions SIP uses, RFC 3264 §5).</summary>
    public IList<string> Timings { get; } = [];

    /// <summary><c>i=</c>, <c>u=</c>, <c>e=</c>, <c>p=</c>, <c>b=</c>, <c>r=</c>, <c>z=</c>, <c>k=</c> lines, kept as written.</summary>
    public IList<SdpField> OtherFields { get; } = [];

    public IList<SdpAttribute> Attributes { get; } = [];

    public IList<MediaDescription> Media { get; } = [];

    /// <summary>The session-level direction attribute, or null.</summary>
    public SdpDirection? Direction
    {
        get => SdpDirections.Find(Attributes);
        set => SdpDirections.Set(Attributes, value);
    }

    /// <summary>Parses SDP with CRLF or LF line ends. Never throws on bad input.</summary>
    public static SdpParseResult Parse(string? text) => SdpParser.Parse(text);

    /// <summary>The direction that applies to a media section: its own, else the session's, else sendrecv (RFC 4566 §6.7).</summary>
    public SdpDirection EffectiveDirection(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Direction ?? Direction ?? SdpDirection.SendRecv;
    }

    /// <summary>The connection that applies to a media section: its own, else the session's (RFC 4566 §5.7).</summary>
    public SdpConnection? EffectiveConnection(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Connection ?? Connection;
    }

    public override string ToString()
    {
        var sdp = new StringBuilder(512);
        sdp.Append("v=0\r\n");
        sdp.Append(Origin.ToString()).Append("\r\n");
        sdp.Append("s=").Append(SessionName).Append("\r\n");
        WriteFields(sdp, OtherFields, "iuep");
        if (Connection is not null)
        {
            sdp.Append(Connection.ToString()).Append("\r\n");
        }

        WriteFields(sdp, OtherFields, "b");
        if (Timings.Count == 0)
        {
            sdp.Append("t=0 0\r\n");
        }

        foreach (var timing in Timings)
        {
            sdp.Append("t=").Append(timing).Append("\r\n");
        }

        WriteFields(sdp, OtherFields, "rzk");
        foreach (var attribute in Attributes)
        {
            sdp.Append(attribute.ToString()).Append("\r\n");
        }

        foreach (var media in Media)
        {
            media.WriteTo(sdp);
        }

        return sdp.ToString();
    }

    internal static void WriteFields(StringBuilder sdp, IEnumerable<SdpField> fields, string types)
    {
        // RFC 8866 §5 fixes the order of line types; within a type the original order is kept.
        foreach (var type in types)
        {
            foreach (var field in fields)
            {
                if (field.Type == type)
                {
                    sdp.Append(field.ToString()).Append("\r\n");
                }
            }
        }
    }
}
