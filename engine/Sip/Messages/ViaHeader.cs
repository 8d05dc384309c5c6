namespace CallTracking.Engine.Sip.Messages;

/// <summary>
/// One via-parm (RFC 3261 §20.42, §25.1): <c>SIP/2.0/UDP host:port;branch=z9hG4bK..;rport</c>.
/// A view over the value's bytes; nothing is copied.
/// </summary>
public readonly ref struct ViaHeader
{
    /// <summary>The RFC 3261 branch magic cookie (§8.1.1.7).</summary>
    public static ReadOnlySpan<byte> MagicCookie => "z9hG4bK"u8;

    /// <summary>protocol-name "/" protocol-version, e.g. "SIP/2.0".</summary>
    public ReadOnlySpan<byte> Protocol { get; private init; }

    /// <summary>"UDP", "TCP", "TLS", "SCTP", "WS"... as sent.</summary>
    public ReadOnlySpan<byte> Transport { get; private init; }

    /// <summary>The sent-by host; an IPv6 reference keeps its brackets.</summary>
    public ReadOnlySpan<byte> Host { get; private init; }

    /// <summary>The sent-by port, 0 when absent.</summary>
    public int Port { get; private init; }

    /// <summary>host[":" port] exactly as sent.</summary>
    public ReadOnlySpan<byte> SentBy { get; private init; }

    /// <summary>Everything after sent-by, starting at the first ";" (empty when there are none).</summary>
    public ReadOnlySpan<byte> Parameters { get; private init; }

    public ReadOnlySpan<byte> Branch { get; private init; }

    public ReadOnlySpan<byte> Received { get; private init; }

    /// <summary>RFC 3581: the client asked for the source port to be echoed.</summary>
    public bool HasRPort { get; private init; }

    /// <summary>The rport value, 0 when the parameter had none (as sent by a client).</summary>
    public int RPort { get; private init; }

    /// <summary>The branch starts with the magic cookie, so it is unique and transactions match on it (RFC 3261 §17.2.3).</summary>
    public bool IsRfc3261Branch => Branch.StartsWith(MagicCookie);

    public bool TryGetParameter(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        SipParameters.TryGet(Parameters, name, out value);

    /// <summary>Parses one via-parm (a single element of a Via header, already split on commas).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out ViaHeader via)
    {
        via = default;
        ReadOnlySpan<byte> s = SipSyntax.Trim(value);

        // sent-protocol = protocol-name SLASH protocol-version SLASH transport; LWS is allowed around SLASH.
        int i = 0;
        int nameStart = i;
        i = SkipToken(s, i);
        if (i == nameStart)
        {
            return false;
        }
        i = SipSyntax.SkipWhitespace(s, i);
        if (i >= s.Length || s[i] != (byte)'/')
        {
            return false;
        }
        i = SipSyntax.SkipWhitespace(s, i + 1);
        int versionStart = i;
        i = SkipToken(s, i);
        if (i == versionStart)
        {
            return false;
        }
        int protocolEnd = i;
        i = SipSyntax.SkipWhitespace(s, i);
        if (i >= s.Length || s[i] != (byte)'/')
        {
            return false;
        }
        i = SipSyntax.SkipWhitespace(s, i + 1);
        int transportStart = i;
        i = SkipToken(s, i);
        if (i == transportStart || i >= s.Length || !SipSyntax.IsWhitespace(s[i]))
        {
            return false;
        }
        int transportEnd = i;

        i = SipSyntax.SkipWhitespace(s, i);
        int sentByStart = i;
        if (i < s.Length && s[i] == (byte)'[')
        {
            int close = s[i..].IndexOf((byte)']');
            if (close < 0)
            {
                return false;
            }
            i += close + 1;
        }
        while (i < s.Length && s[i] != (byte)';' && !SipSyntax.IsWhitespace(s[i]))
        {
            i++;
        }
        ReadOnlySpan<byte> sentBy = s[sentByStart..i];
        if (!SipSyntax.TrySplitHostPort(sentBy, out ReadOnlySpan<byte> host, out int port))
        {
            return false;
        }
        i = SipSyntax.SkipWhitespace(s, i);
        if (i < s.Length && s[i] != (byte)';')
        {
            return false;
        }
        ReadOnlySpan<byte> parameters = s[i..];
        if (!SipParameters.IsWellFormed(parameters))
        {
            return false;
        }

        ReadOnlySpan<byte> branch = default, received = default;
        bool hasRPort = false;
        int rport = 0;
        int pos = 0;
        while (SipParameters.TryNext(parameters, ref pos, out ReadOnlySpan<byte> n, out ReadOnlySpan<byte> v))
        {
            if (branch.IsEmpty && SipSyntax.EqualsIgnoreCase(n, "branch"u8))
            {
                branch = v;
            }
            else if (received.IsEmpty && SipSyntax.EqualsIgnoreCase(n, "received"u8))
            {
                received = v;
            }
            else if (!hasRPort && SipSyntax.EqualsIgnoreCase(n, "rport"u8))
            {
                hasRPort = true;
                if (!v.IsEmpty && !SipSyntax.TryParsePort(v, out rport))
                {
                    return false;
                }
            }
        }

        via = new ViaHeader
        {
            Protocol = s[nameStart..protocolEnd],
            Transport = s[transportStart..transportEnd],
            Host = host,
            Port = port,
            SentBy = sentBy,
            Parameters = parameters,
            Branch = branch,
            Received = received,
            HasRPort = hasRPort,
            RPort = rport,
        };
        return true;
    }

    private static int SkipToken(ReadOnlySpan<byte> s, int i)
    {
        int n = s[i..].IndexOfAnyExcept(SipSyntax.TokenChars);
        return n < 0 ? s.Length : i + n;
    }
}
