using System.Buffers;
using System.Buffers.Text;
using CallTracking.Engine.Sip.Messages;

namespace CallTracking.Engine.Sip.Writing;

/// <summary>Builds a response to a parsed request (RFC 3261 §8.2.6).</summary>
public static class SipResponseWriter
{
    // "[" IPv6 "]" at most 47 characters with a zone; room to spare.
    private const int MaxAddressLength = 64;

    /// <summary>
    /// Writes the response. RFC 3261 §8.2.6.2: every Via in order (the top one with received and
    /// rport filled in, §18.2.1 and RFC 3581 §4), From, To (with <paramref name="toTag"/> added when
    /// the request's To had none, except on 100 which never creates a dialog), Call-ID, CSeq; then
    /// Timestamp on a 100 (§8.2.6.1), <paramref name="extraHeaderLines"/> verbatim (each "Name: value\r\n"),
    /// Content-Type, Content-Length and the body.
    /// </summary>
    public static void Write(
        IBufferWriter<byte> output,
        SipMessage request,
        int statusCode,
        ReadOnlySpan<byte> reason,
        ReadOnlySpan<byte> toTag,
        in ViaReceived received,
        ReadOnlySpan<byte> extraHeaderLines,
        ReadOnlySpan<byte> contentType,
        ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var writer = new SipWriter(output);
        writer.WriteStatusLine(statusCode, reason);

        bool first = true;
        for (int i = request.FindHeader(HeaderKind.Via, 0); i >= 0; i = request.FindHeader(HeaderKind.Via, i + 1))
        {
            if (first)
            {
                WriteTopVia(ref writer, request.GetHeaderValue(i), request.TopViaValue, received);
                first = false;
            }
            else
            {
                writer.WriteHeader("Via"u8, request.GetHeaderValue(i));
            }
        }

        if (request.TryGetHeader(HeaderKind.From, out ReadOnlySpan<byte> from))
        {
            writer.WriteHeader("From"u8, from);
        }
        if (request.TryGetHeader(HeaderKind.To, out ReadOnlySpan<byte> to))
        {
            if (statusCode != 100 && !toTag.IsEmpty && request.ToTag.IsEmpty)
            {
                ReadOnlySpan<byte> tagPrefix = ";tag="u8;
                writer.WriteRaw("To: "u8);
                writer.WriteRaw(to);
                writer.WriteRaw(tagPrefix);
                writer.WriteRaw(toTag);
                writer.WriteRaw("\r\n"u8);
            }
            else
            {
                writer.WriteHeader("To"u8, to);
            }
        }
        if (request.TryGetHeader(HeaderKind.CallId, out ReadOnlySpan<byte> callId))
        {
            writer.WriteHeader("Call-ID"u8, callId);
        }
        if (request.TryGetHeader(HeaderKind.CSeq, out ReadOnlySpan<byte> cseq))
        {
            writer.WriteHeader("CSeq"u8, cseq);
        }
        if (statusCode == 100 && request.TryGetHeader(HeaderKind.Timestamp, out ReadOnlySpan<byte> timestamp))
        {
            writer.WriteHeader("Timestamp"u8, timestamp);
        }
        writer.WriteRaw(extraHeaderLines);
        writer.EndHeaders(contentType, body);
    }

    private static void WriteTopVia(ref SipWriter writer, ReadOnlySpan<byte> line, ReadOnlySpan<byte> top, in ViaReceived received)
    {
        if (received.IsEmpty || top.IsEmpty || !line.Overlaps(top, out int topStart) || !ViaHeader.TryParse(top, out ViaHeader via))
        {
            writer.WriteHeader("Via"u8, line);
            return;
        }

        Span<byte> address = stackalloc byte[MaxAddressLength];
        address = address[..received.FormatAddress(address)];
        // RFC 3581 §4: with rport the server MUST add received even when it equals sent-by.
        // The comparison is textual; a spurious received parameter is harmless, a missing one is not.
        ReadOnlySpan<byte> host = via.Host;
        if (host.Length > 2 && host[0] == (byte)'[')
        {
            host = host[1..^1];
        }
        bool addReceived = via.HasRPort || !SipSyntax.EqualsIgnoreCase(host, address);

        int paramsStart = via.Parameters.IsEmpty || !top.Overlaps(via.Parameters, out int p) ? top.Length : p;
        writer.WriteRaw("Via: "u8);
        writer.WriteRaw(line[..topStart]);
        writer.WriteRaw(top[..paramsStart].TrimEnd(" \t"u8));

        ReadOnlySpan<byte> parameters = top[paramsStart..];
        Span<byte> rport = stackalloc byte[12];
        "rport="u8.CopyTo(rport);
        int pos = 0;
        while (NextRawParameter(parameters, ref pos, out ReadOnlySpan<byte> raw, out ReadOnlySpan<byte> name, out bool hasValue))
        {
            if (SipSyntax.EqualsIgnoreCase(name, "received"u8) && addReceived)
            {
                continue;
            }
            writer.WriteRaw(";"u8);
            if (SipSyntax.EqualsIgnoreCase(name, "rport"u8) && !hasValue)
            {
                Utf8Formatter.TryFormat(received.Port, rport[6..], out int digits);
                writer.WriteRaw(rport[..(6 + digits)]);
            }
            else
            {
                writer.WriteRaw(raw);
            }
        }
        if (addReceived)
        {
            writer.WriteRaw(";received="u8);
            writer.WriteRaw(address);
        }
        writer.WriteRaw(line[(topStart + top.Length)..]);
        writer.WriteRaw("\r\n"u8);
    }

    /// <summary>The next ";"-separated parameter, raw and trimmed, honouring quoted values.</summary>
    private static bool NextRawParameter(ReadOnlySpan<byte> s, ref int pos, out ReadOnlySpan<byte> raw, out ReadOnlySpan<byte> name, out bool hasValue)
    {
        raw = name = default;
        hasValue = false;
        while (pos < s.Length)
        {
            int start = pos;
            int i = pos;
            while (i < s.Length && s[i] != (byte)';')
            {
                if (s[i] == (byte)'"')
                {
                    int end = SipSyntax.SkipQuoted(s, i);
                    i = end < 0 ? s.Length : end;
                    continue;
                }
                i++;
            }
            pos = i < s.Length ? i + 1 : s.Length;
            raw = SipSyntax.Trim(s[start..i]);
            if (raw.IsEmpty)
            {
                continue;
            }
            int eq = raw.IndexOf((byte)'=');
            hasValue = eq >= 0 && !SipSyntax.Trim(raw[(eq + 1)..]).IsEmpty;
            name = SipSyntax.Trim(eq < 0 ? raw : raw[..eq]);
            return true;
        }
        return false;
    }
}
