namespace CallTracking.Engine.Sip.Messages;

/// <summary>
/// One element of a From, To, Contact, Route, Record-Route, Refer-To or P-Asserted-Identity value
/// (RFC 3261 §20.10, §25.1): <c>"Bob" &lt;sip:bob@x;transport=tcp&gt;;tag=1</c> or <c>sip:bob@x;tag=1</c>.
/// </summary>
public readonly ref struct NameAddr
{
    /// <summary>The display name without its quotes; quoted-pair escapes are kept as sent.</summary>
    public ReadOnlySpan<byte> DisplayName { get; private init; }

    /// <summary>The URI without the angle brackets.</summary>
    public ReadOnlySpan<byte> Uri { get; private init; }

    /// <summary>Header parameters after the URI, starting at the first ";" (e.g. ";tag=a;expires=60").</summary>
    public ReadOnlySpan<byte> Parameters { get; private init; }

    /// <summary>Contact: * (RFC 3261 §10.2.2).</summary>
    public bool IsWildcard { get; private init; }

    public ReadOnlySpan<byte> Tag => SipParameters.TryGet(Parameters, "tag"u8, out ReadOnlySpan<byte> tag) ? tag : default;

    public bool TryGetParameter(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        SipParameters.TryGet(Parameters, name, out value);

    /// <summary>Parses one element (already split on commas for list headers).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out NameAddr nameAddr)
    {
        nameAddr = default;
        ReadOnlySpan<byte> s = SipSyntax.Trim(value);
        if (s.IsEmpty)
        {
            return false;
        }
        if (s[0] == (byte)'*')
        {
            // Contact: * (RFC 3261 §10.2.2); parameters after it are kept readable ("*;expires=0" is seen in the wild).
            ReadOnlySpan<byte> afterStar = SipSyntax.Trim(s[1..]);
            if (afterStar.IsEmpty || afterStar[0] == (byte)';')
            {
                nameAddr = new NameAddr { IsWildcard = true, Parameters = afterStar };
                return true;
            }
        }

        ReadOnlySpan<byte> displayName = default;
        int i = 0;
        if (s[0] == (byte)'"')
        {
            int end = SipSyntax.SkipQuoted(s, 0);
            if (end < 0)
            {
                return false;
            }
            displayName = s[1..(end - 1)];
            i = SipSyntax.SkipWhitespace(s, end);
            if (i >= s.Length || s[i] != (byte)'<')
            {
                return false;
            }
        }
        else
        {
            int lt = s.IndexOf((byte)'<');
            int semi = s.IndexOf((byte)';');
            if (lt < 0 || (semi >= 0 && semi < lt))
            {
                return TryParseAddrSpec(s, out nameAddr);
            }
            displayName = SipSyntax.Trim(s[..lt]);
            i = lt;
        }

        // name-addr: [display-name] LAQUOT addr-spec RAQUOT *(SEMI param)
        int gt = s[i..].IndexOf((byte)'>');
        if (gt < 0)
        {
            return false;
        }
        ReadOnlySpan<byte> uri = SipSyntax.Trim(s[(i + 1)..(i + gt)]);
        ReadOnlySpan<byte> parameters = SipSyntax.Trim(s[(i + gt + 1)..]);
        if (!IsUriLike(uri) || (!parameters.IsEmpty && parameters[0] != (byte)';') || !SipParameters.IsWellFormed(parameters))
        {
            return false;
        }
        nameAddr = new NameAddr { DisplayName = displayName, Uri = uri, Parameters = parameters };
        return true;
    }

    // RFC 3261 §20.10: in an addr-spec without angle brackets, everything after the first ';'
    // is a header parameter, not a URI parameter.
    private static bool TryParseAddrSpec(ReadOnlySpan<byte> s, out NameAddr nameAddr)
    {
        nameAddr = default;
        int semi = s.IndexOf((byte)';');
        ReadOnlySpan<byte> uri = SipSyntax.Trim(semi < 0 ? s : s[..semi]);
        ReadOnlySpan<byte> parameters = semi < 0 ? default : s[semi..];
        if (!IsUriLike(uri) || uri.ContainsAny(" \t>"u8) || !SipParameters.IsWellFormed(parameters))
        {
            return false;
        }
        nameAddr = new NameAddr { Uri = uri, Parameters = parameters };
        return true;
    }

    // absoluteURI starts with scheme ":" where scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
    private static bool IsUriLike(ReadOnlySpan<byte> uri)
    {
        int colon = uri.IndexOf((byte)':');
        if (colon <= 0 || !char.IsAsciiLetter((char)uri[0]))
        {
            return false;
        }
        foreach (byte b in uri[..colon])
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not ((byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }
        return true;
    }
}
