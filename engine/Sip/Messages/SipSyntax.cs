using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace CallTracking.Engine.Sip.Messages;

/// <summary>Character classes and small scanners shared by the header readers and the parser (RFC 3261 §25.1).</summary>
internal static class SipSyntax
{
    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").</summary>
    public static readonly SearchValues<byte> TokenChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~"u8);

    /// <summary>CTLs other than HT (and DEL): never allowed inside a header value (RFC 3261 §25.1 TEXT-UTF8char).</summary>
    public static readonly SearchValues<byte> ValueControlChars = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F"u8);

    /// <summary>Characters of a host name, an IPv4 address, or the inside of an IPv6 reference.</summary>
    public static readonly SearchValues<byte> HostChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.:_"u8);

    public static bool IsToken(ReadOnlySpan<byte> s) => !s.IsEmpty && !s.ContainsAnyExcept(TokenChars);

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary>Trims SP and HT (LWS after line folding has been flattened to spaces).</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsWhitespace(s[start])) start++;
        while (end > start && IsWhitespace(s[end - 1])) end--;
        return s[start..end];
    }

    public static int SkipWhitespace(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && IsWhitespace(s[i])) i++;
        return i;
    }

    /// <summary>1*DIGIT no greater than <paramref name="max"/>; no sign, no spaces.</summary>
    public static bool TryParseDigits(ReadOnlySpan<byte> s, uint max, out uint value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 10 || s.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return false;
        }
        return Utf8Parser.TryParse(s, out value, out int consumed) && consumed == s.Length && value <= max;
    }

    /// <summary>A port: 1*DIGIT in 0..65535 (RFC 3261 §25.1).</summary>
    public static bool TryParsePort(ReadOnlySpan<byte> s, out int port)
    {
        bool ok = TryParseDigits(s, 65535, out uint v);
        port = (int)v;
        return ok;
    }

    /// <summary>
    /// Index just past the closing quote of the quoted-string that starts at <paramref name="start"/>
    /// (which must be a DQUOTE), honouring quoted-pair escapes; -1 when unterminated.
    /// </summary>
    public static int SkipQuoted(ReadOnlySpan<byte> s, int start)
    {
        for (int i = start + 1; i < s.Length; i++)
        {
            if (s[i] == (byte)'\\')
            {
                i++;
            }
            else if (s[i] == (byte)'"')
            {
                return i + 1;
            }
        }
        return -1;
    }

    /// <summary>host = hostname / IPv4address / IPv6reference (brackets kept). Loose: checks the characters only.</summary>
    public static bool IsHost(ReadOnlySpan<byte> host)
    {
        if (host.IsEmpty)
        {
            return false;
        }
        if (host[0] == (byte)'[')
        {
            return host.Length > 2 && host[^1] == (byte)']' && !host[1..^1].ContainsAnyExcept(HostChars);
        }
        return !host.ContainsAnyExcept(HostChars) && !host.Contains((byte)':');
    }

    /// <summary>
    /// Splits "host[:port]" where host may be an IPv6 reference. Returns false on a bad port or empty host.
    /// </summary>
    public static bool TrySplitHostPort(ReadOnlySpan<byte> hostPort, out ReadOnlySpan<byte> host, out int port)
    {
        port = 0;
        int colon;
        if (!hostPort.IsEmpty && hostPort[0] == (byte)'[')
        {
            int close = hostPort.IndexOf((byte)']');
            if (close < 0)
            {
                host = default;
                return false;
            }
            host = hostPort[..(close + 1)];
            colon = close + 1 < hostPort.Length ? close + 1 : -1;
            if (colon >= 0 && hostPort[colon] != (byte)':')
            {
                return false;
            }
        }
        else
        {
            colon = hostPort.IndexOf((byte)':');
            host = colon < 0 ? hostPort : hostPort[..colon];
        }
        if (!IsHost(host))
        {
            return false;
        }
        return colon < 0 || TryParsePort(hostPort[(colon + 1)..], out port);
    }

    /// <summary>Case-insensitive ASCII equality, the rule for tokens and parameter names (RFC 3261 §7.3.1).</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Ascii.EqualsIgnoreCase(a, b);
}
