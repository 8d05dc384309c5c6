namespace CallTracking.Engine.Sip.Messages;

/// <summary>
/// Reads a ";name[=value]" parameter list as found after a Via sent-by, a name-addr or a URI
/// (RFC 3261 §25.1 generic-param, SEMI = SWS ";" SWS).
/// </summary>
internal static class SipParameters
{
    /// <summary>
    /// Finds a parameter by case-insensitive name. A parameter without "=value" is found with an
    /// empty value. A quoted value is returned without its quotes (escapes kept).
    /// </summary>
    public static bool TryGet(ReadOnlySpan<byte> parameters, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int pos = 0;
        while (TryNext(parameters, ref pos, out ReadOnlySpan<byte> n, out ReadOnlySpan<byte> v))
        {
            if (SipSyntax.EqualsIgnoreCase(n, name))
            {
                value = v;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>
    /// The next parameter at or after <paramref name="pos"/>. Leading ";" and whitespace are skipped.
    /// Returns false at the end of the list.
    /// </summary>
    public static bool TryNext(ReadOnlySpan<byte> s, scoped ref int pos, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int i = pos;
        while (i < s.Length && (s[i] == (byte)';' || SipSyntax.IsWhitespace(s[i])))
        {
            i++;
        }
        if (i >= s.Length)
        {
            name = value = default;
            pos = s.Length;
            return false;
        }
        int nameStart = i;
        while (i < s.Length && s[i] != (byte)'=' && s[i] != (byte)';')
        {
            i++;
        }
        name = SipSyntax.Trim(s[nameStart..i]);
        value = default;
        if (i < s.Length && s[i] == (byte)'=')
        {
            i = SipSyntax.SkipWhitespace(s, i + 1);
            if (i < s.Length && s[i] == (byte)'"')
            {
                int end = SipSyntax.SkipQuoted(s, i);
                if (end < 0)
                {
                    end = s.Length;
                    value = s[(i + 1)..];
                }
                else
                {
                    value = s[(i + 1)..(end - 1)];
                }
                i = end;
                while (i < s.Length && s[i] != (byte)';')
                {
                    i++;
                }
            }
            else
            {
                int valueStart = i;
                while (i < s.Length && s[i] != (byte)';')
                {
                    i++;
                }
                value = SipSyntax.Trim(s[valueStart..i]);
            }
        }
        pos = i;
        return true;
    }

    /// <summary>Every parameter has a token name (values are not checked further).</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> parameters)
    {
        int pos = 0;
        while (TryNext(parameters, ref pos, out ReadOnlySpan<byte> n, out _))
        {
            if (!SipSyntax.IsToken(n))
            {
                return false;
            }
        }
        return true;
    }
}
