namespace CallTracking.Engine.Sip.Messages;

/// <summary>
/// A sip:, sips: (RFC 3261 §19.1) or tel: (RFC 3966) URI as a view over its bytes.
/// <c>sip:user:password@host:port;uri-parameters?headers</c>.
/// </summary>
public readonly ref struct SipUri
{
    public SipUriScheme Scheme { get; private init; }

    /// <summary>The user part (still %-escaped); for tel: the telephone number.</summary>
    public ReadOnlySpan<byte> User { get; private init; }

    public ReadOnlySpan<byte> Password { get; private init; }

    /// <summary>The host; an IPv6 reference keeps its brackets. Empty for tel:.</summary>
    public ReadOnlySpan<byte> Host { get; private init; }

    /// <summary>0 when absent.</summary>
    public int Port { get; private init; }

    /// <summary>uri-parameters starting at the first ";" (empty when none).</summary>
    public ReadOnlySpan<byte> Parameters { get; private init; }

    /// <summary>headers after "?" (without the "?"), empty when none.</summary>
    public ReadOnlySpan<byte> Headers { get; private init; }

    public bool TryGetParameter(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        SipParameters.TryGet(Parameters, name, out value);

    public static bool TryParse(ReadOnlySpan<byte> value, out SipUri uri)
    {
        uri = default;
        ReadOnlySpan<byte> s = SipSyntax.Trim(value);
        int colon = s.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }
        ReadOnlySpan<byte> scheme = s[..colon];
        ReadOnlySpan<byte> rest = s[(colon + 1)..];
        if (SipSyntax.EqualsIgnoreCase(scheme, "tel"u8))
        {
            return TryParseTel(rest, out uri);
        }
        SipUriScheme kind;
        if (SipSyntax.EqualsIgnoreCase(scheme, "sip"u8))
        {
            kind = SipUriScheme.Sip;
        }
        else if (SipSyntax.EqualsIgnoreCase(scheme, "sips"u8))
        {
            kind = SipUriScheme.Sips;
        }
        else
        {
            return false;
        }

        ReadOnlySpan<byte> headers = default;
        int question = rest.IndexOf((byte)'?');
        if (question >= 0)
        {
            headers = rest[(question + 1)..];
            rest = rest[..question];
        }

        ReadOnlySpan<byte> user = default, password = default;
        // The user part may itself hold ';' (telephone-subscriber parameters) but never an unescaped '@'.
        int at = rest.LastIndexOf((byte)'@');
        if (at >= 0)
        {
            ReadOnlySpan<byte> userInfo = rest[..at];
            int pw = userInfo.IndexOf((byte)':');
            user = pw < 0 ? userInfo : userInfo[..pw];
            password = pw < 0 ? default : userInfo[(pw + 1)..];
            if (user.IsEmpty || userInfo.ContainsAny(" \t<>\""u8))
            {
                return false;
            }
            rest = rest[(at + 1)..];
        }

        int hostEnd;
        if (!rest.IsEmpty && rest[0] == (byte)'[')
        {
            int close = rest.IndexOf((byte)']');
            if (close < 0)
            {
                return false;
            }
            int semi = rest[close..].IndexOf((byte)';');
            hostEnd = semi < 0 ? rest.Length : close + semi;
        }
        else
        {
            hostEnd = rest.IndexOf((byte)';');
            if (hostEnd < 0)
            {
                hostEnd = rest.Length;
            }
        }
        if (!SipSyntax.TrySplitHostPort(rest[..hostEnd], out ReadOnlySpan<byte> host, out int port))
        {
            return false;
        }
        ReadOnlySpan<byte> parameters = rest[hostEnd..];
        if (!SipParameters.IsWellFormed(parameters))
        {
            return false;
        }
        uri = new SipUri
        {
            Scheme = kind,
            User = user,
            Password = password,
            Host = host,
            Port = port,
            Parameters = parameters,
            Headers = headers,
        };
        return true;
    }

    // RFC 3966 §3: telephone-subscriber = global-number / local-number, then ;par.
    private static bool TryParseTel(ReadOnlySpan<byte> rest, out SipUri uri)
    {
        uri = default;
        int semi = rest.IndexOf((byte)';');
        ReadOnlySpan<byte> number = semi < 0 ? rest : rest[..semi];
        ReadOnlySpan<byte> parameters = semi < 0 ? default : rest[semi..];
        if (number.IsEmpty || number.ContainsAny(" \t<>@\""u8) || !SipParameters.IsWellFormed(parameters))
        {
            return false;
        }
        uri = new SipUri { Scheme = SipUriScheme.Tel, User = number, Parameters = parameters };
        return true;
    }
}
