namespace CallTracking.Engine.Sip.Messages;

/// <summary>
/// Splits a header value into its comma-separated elements (RFC 3261 §7.3.1), ignoring commas
/// inside quoted strings and inside &lt;...&gt; (a URI in a name-addr may carry commas).
/// </summary>
internal static class HeaderListSplitter
{
    /// <summary>
    /// The next non-empty, trimmed element at or after <paramref name="pos"/>, as offsets into
    /// <paramref name="line"/>; <paramref name="pos"/> moves past the element's comma.
    /// </summary>
    public static bool TryNext(ReadOnlySpan<byte> line, ref int pos, out int start, out int length)
    {
        while (pos < line.Length)
        {
            int i = pos;
            bool inAngle = false;
            while (i < line.Length)
            {
                byte b = line[i];
                if (b == (byte)'"' && !inAngle)
                {
                    int end = SipSyntax.SkipQuoted(line, i);
                    i = end < 0 ? line.Length : end;
                    continue;
                }
                if (b == (byte)'<')
                {
                    inAngle = true;
                }
                else if (b == (byte)'>')
                {
                    inAngle = false;
                }
                else if (b == (byte)',' && !inAngle)
                {
                    break;
                }
                i++;
            }
            int s = pos, e = i;
            pos = i < line.Length ? i + 1 : line.Length;
            while (s < e && SipSyntax.IsWhitespace(line[s])) s++;
            while (e > s && SipSyntax.IsWhitespace(line[e - 1])) e--;
            if (e > s)
            {
                start = s;
                length = e - s;
                return true;
            }
        }
        start = length = 0;
        return false;
    }

    /// <summary>The first element of a list value (the whole value when it holds one element).</summary>
    public static ReadOnlySpan<byte> First(ReadOnlySpan<byte> line)
    {
        int pos = 0;
        return TryNext(line, ref pos, out int start, out int length) ? line.Slice(start, length) : default;
    }
}
