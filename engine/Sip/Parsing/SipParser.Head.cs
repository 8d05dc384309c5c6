using CallTracking.Engine.Sip.Messages;

namespace CallTracking.Engine.Sip.Parsing;

/// <summary>Start line and header lines, over the message's own (contiguous, writable) buffer.</summary>
public static partial class SipParser
{
    private static ReadOnlySpan<byte> SipVersion => "SIP/2.0"u8;

    /// <summary>
    /// Indexes the start line and every header line in buffer[0..headerLength) and reads the routing
    /// values. Keeps going after a bad known header so the other headers stay available for a 400;
    /// stops only where the line structure itself breaks. Returns the first error.
    /// </summary>
    private static SipParseError ParseHead(SipMessage m, int headerLength)
    {
        Span<byte> buffer = m.EnsureCapacity(headerLength)[..headerLength];
        int lineEnd = buffer.IndexOf(Crlf);
        if (lineEnd < 0)
        {
            lineEnd = headerLength;
        }
        SipParseError error = ParseStartLine(m, buffer, buffer[..lineEnd]);
        var seen = new SeenHeaders();

        int pos = lineEnd + 2;
        while (pos < headerLength)
        {
            int lineStart = pos;
            int end;
            while (true)
            {
                int rel = buffer[pos..].IndexOf(Crlf);
                end = rel < 0 ? headerLength : pos + rel;
                // RFC 3261 §7.3.1: a line starting with whitespace continues the previous one
                // (obsolete folding); flatten CRLF to spaces in place so the value is one span.
                if (end + 2 < headerLength && SipSyntax.IsWhitespace(buffer[end + 2]))
                {
                    buffer[end] = (byte)' ';
                    buffer[end + 1] = (byte)' ';
                    pos = end + 2;
                    continue;
                }
                break;
            }
            pos = end + 2;

            ReadOnlySpan<byte> line = buffer[lineStart..end];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                return First(error, SipParseError.BadHeaderLine);
            }
            // header-name HCOLON, HCOLON = *( SP / HTAB ) ":" SWS (RFC 3261 §25.1).
            ReadOnlySpan<byte> name = line[..colon].TrimEnd(" \t"u8);
            ReadOnlySpan<byte> value = SipSyntax.Trim(line[(colon + 1)..]);
            if (!SipSyntax.IsToken(name) || value.ContainsAny(SipSyntax.ValueControlChars))
            {
                return First(error, SipParseError.BadHeaderLine);
            }
            HeaderKind kind = HeaderKinds.Lookup(name);
            ByteRange valueRange = ByteRange.Of(buffer, value);
            if (!m.AddHeader(new SipHeaderEntry(lineStart, name.Length, valueRange.Start, valueRange.Length, kind)))
            {
                return First(error, SipParseError.TooManyHeaders);
            }
            if (kind != HeaderKind.Other)
            {
                error = First(error, ReadKnownHeader(m, buffer, kind, value, ref seen));
            }
        }

        if (!m.Fields.IsRequest && !m.Fields.IsResponse)
        {
            return error;
        }
        // RFC 3261 §8.1.1: the mandatory headers of every request (and, echoed, every response).
        error = First(error, seen.Via ? SipParseError.None : SipParseError.MissingVia);
        error = First(error, seen.From ? SipParseError.None : SipParseError.MissingFrom);
        error = First(error, seen.To ? SipParseError.None : SipParseError.MissingTo);
        error = First(error, seen.CallId ? SipParseError.None : SipParseError.MissingCallId);
        error = First(error, seen.CSeq ? SipParseError.None : SipParseError.MissingCSeq);
        // RFC 3261 §8.1.1.5: the CSeq method MUST match the request method.
        if (m.Fields.IsRequest && seen.CSeqValid && !m.CSeqMethodToken.SequenceEqual(m.MethodToken))
        {
            error = First(error, SipParseError.CSeqMethodMismatch);
        }
        return error;
    }

    private static SipParseError ParseStartLine(SipMessage m, ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> line)
    {
        ref SipMessageFields f = ref m.Fields;
        if (line.IsEmpty || line.ContainsAny(SipSyntax.ValueControlChars))
        {
            return SipParseError.BadStartLine;
        }
        int sp = line.IndexOf((byte)' ');
        if (sp <= 0)
        {
            return SipParseError.BadStartLine;
        }
        ReadOnlySpan<byte> first = line[..sp];

        if (first.Length >= 4 && SipSyntax.EqualsIgnoreCase(first[..4], "SIP/"u8))
        {
            // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (RFC 3261 §7.2).
            if (!SipSyntax.EqualsIgnoreCase(first, SipVersion))
            {
                return SipParseError.BadVersion;
            }
            ReadOnlySpan<byte> rest = line[(sp + 1)..];
            if (rest.Length < 3 || (rest.Length > 3 && rest[3] != (byte)' ')
                || !SipSyntax.TryParseDigits(rest[..3], 699, out uint code) || code < 100)
            {
                return SipParseError.BadStatusCode;
            }
            f.IsResponse = true;
            f.StatusCode = (int)code;
            f.ReasonPhrase = rest.Length > 4 ? ByteRange.Of(buffer, rest[4..]) : default;
            return SipParseError.None;
        }

        // Request-Line = Method SP Request-URI SP SIP-Version (RFC 3261 §7.1); no other spaces.
        if (!SipSyntax.IsToken(first))
        {
            return SipParseError.BadMethod;
        }
        ReadOnlySpan<byte> afterMethod = line[(sp + 1)..];
        int sp2 = afterMethod.IndexOf((byte)' ');
        if (sp2 <= 0)
        {
            return SipParseError.BadStartLine;
        }
        ReadOnlySpan<byte> uri = afterMethod[..sp2];
        ReadOnlySpan<byte> version = afterMethod[(sp2 + 1)..];
        if (version.Contains((byte)' '))
        {
            return SipParseError.BadStartLine;
        }
        if (!SipSyntax.EqualsIgnoreCase(version, SipVersion))
        {
            // Not even "SIP/x": this is not a SIP request line. Otherwise it is a request we answer with 505.
            if (version.Length < 4 || !SipSyntax.EqualsIgnoreCase(version[..4], "SIP/"u8))
            {
                return SipParseError.BadStartLine;
            }
            SetRequestLine(ref f, buffer, first, uri);
            return SipParseError.BadVersion;
        }
        SetRequestLine(ref f, buffer, first, uri);
        return IsValidRequestUri(uri) ? SipParseError.None : SipParseError.BadRequestUri;
    }

    private static void SetRequestLine(ref SipMessageFields f, ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> method, ReadOnlySpan<byte> uri)
    {
        f.IsRequest = true;
        f.Method = SipMethods.Parse(method);
        f.MethodToken = ByteRange.Of(buffer, method);
        f.RequestUri = ByteRange.Of(buffer, uri);
    }

    private static bool IsValidRequestUri(ReadOnlySpan<byte> uri)
    {
        int colon = uri.IndexOf((byte)':');
        if (colon <= 0 || !char.IsAsciiLetter((char)uri[0]))
        {
            return false;
        }
        ReadOnlySpan<byte> scheme = uri[..colon];
        if (SipSyntax.EqualsIgnoreCase(scheme, "sip"u8) || SipSyntax.EqualsIgnoreCase(scheme, "sips"u8)
            || SipSyntax.EqualsIgnoreCase(scheme, "tel"u8))
        {
            return SipUri.TryParse(uri, out _);
        }
        // Other absoluteURI schemes (RFC 3261 §19.1.6) are passed on for the core to answer 416.
        foreach (byte b in scheme)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not ((byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }
        return colon < uri.Length - 1;
    }

    private static SipParseError ReadKnownHeader(SipMessage m, ReadOnlySpan<byte> buffer, HeaderKind kind, ReadOnlySpan<byte> value, ref SeenHeaders seen)
    {
        ref SipMessageFields f = ref m.Fields;
        switch (kind)
        {
            case HeaderKind.Via:
                if (seen.Via)
                {
                    return SipParseError.None;
                }
                seen.Via = true;
                ReadOnlySpan<byte> top = HeaderListSplitter.First(value);
                if (!ViaHeader.TryParse(top, out _))
                {
                    return SipParseError.BadVia;
                }
                f.TopVia = ByteRange.Of(buffer, top);
                return SipParseError.None;

            case HeaderKind.From:
                if (seen.From)
                {
                    return SipParseError.BadFrom;
                }
                seen.From = true;
                if (!NameAddr.TryParse(value, out NameAddr from) || from.IsWildcard)
                {
                    return SipParseError.BadFrom;
                }
                f.FromTag = ByteRange.Of(buffer, from.Tag);
                return SipParseError.None;

            case HeaderKind.To:
                if (seen.To)
                {
                    return SipParseError.BadTo;
                }
                seen.To = true;
                if (!NameAddr.TryParse(value, out NameAddr to) || to.IsWildcard)
                {
                    return SipParseError.BadTo;
                }
                f.ToTag = ByteRange.Of(buffer, to.Tag);
                return SipParseError.None;

            case HeaderKind.CallId:
                if (seen.CallId)
                {
                    return SipParseError.BadCallId;
                }
                seen.CallId = true;
                // callid = word [ "@" word ] (RFC 3261 §25.1): no whitespace.
                if (value.IsEmpty || value.ContainsAny(" \t"u8))
                {
                    return SipParseError.BadCallId;
                }
                f.CallId = ByteRange.Of(buffer, value);
                return SipParseError.None;

            case HeaderKind.CSeq:
                if (seen.CSeq)
                {
                    return SipParseError.BadCSeq;
                }
                seen.CSeq = true;
                return ReadCSeq(ref f, buffer, value, ref seen);

            case HeaderKind.MaxForwards:
                if (seen.MaxForwards)
                {
                    f.MaxForwards = -1;
                    return SipParseError.BadMaxForwards;
                }
                seen.MaxForwards = true;
                // RFC 3261 §20.22: 1*DIGIT; values above 255 are not meaningful.
                if (!SipSyntax.TryParseDigits(value, 255, out uint hops))
                {
                    return SipParseError.BadMaxForwards;
                }
                f.MaxForwards = (int)hops;
                return SipParseError.None;

            case HeaderKind.ContentLength:
                // Two Content-Length lines make stream framing ambiguous: refuse rather than guess.
                if (seen.ContentLength)
                {
                    f.ContentLength = -1;
                    return SipParseError.BadContentLength;
                }
                seen.ContentLength = true;
                if (!SipSyntax.TryParseDigits(value, int.MaxValue, out uint length))
                {
                    return SipParseError.BadContentLength;
                }
                f.ContentLength = (int)length;
                return SipParseError.None;

            default:
                return SipParseError.None;
        }
    }

    // CSeq = 1*DIGIT LWS Method; the number is below 2^31 (RFC 3261 §8.1.1.5).
    private static SipParseError ReadCSeq(ref SipMessageFields f, ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> value, ref SeenHeaders seen)
    {
        int sp = value.IndexOfAny((byte)' ', (byte)'\t');
        if (sp <= 0)
        {
            return SipParseError.BadCSeq;
        }
        ReadOnlySpan<byte> method = SipSyntax.Trim(value[sp..]);
        if (!SipSyntax.TryParseDigits(value[..sp], int.MaxValue, out uint number) || !SipSyntax.IsToken(method))
        {
            return SipParseError.BadCSeq;
        }
        f.CSeqNumber = number;
        f.CSeqMethod = SipMethods.Parse(method);
        f.CSeqMethodToken = ByteRange.Of(buffer, method);
        seen.CSeqValid = true;
        return SipParseError.None;
    }

    private static SipParseError First(SipParseError current, SipParseError next) =>
        current != SipParseError.None ? current : next;

    private struct SeenHeaders
    {
        public bool Via;
        public bool From;
        public bool To;
        public bool CallId;
        public bool CSeq;
        public bool CSeqValid;
        public bool MaxForwards;
        public bool ContentLength;
    }
}
