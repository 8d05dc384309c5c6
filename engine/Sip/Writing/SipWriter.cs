using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using CallTracking.Engine.Sip.Messages;

namespace CallTracking.Engine.Sip.Writing;

/// <summary>
/// Writes a SIP message line by line into an <see cref="IBufferWriter{T}"/>: each line asks for
/// its exact length once, fixed text is pre-encoded, nothing is allocated. Synchronous; the
/// caller flushes.
/// </summary>
public ref struct SipWriter
{
    private readonly IBufferWriter<byte> _output;

    public SipWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        BytesWritten = 0;
    }

    /// <summary>Bytes written so far through this writer.</summary>
    public long BytesWritten { get; private set; }

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    private static ReadOnlySpan<byte> ColonSpace => ": "u8;

    /// <summary>"SIP/2.0 100 Trying\r\n", the line sent most often (RFC 3261 §17.2.1).</summary>
    public static ReadOnlySpan<byte> StatusLine100Trying => "SIP/2.0 100 Trying\r\n"u8;

    public void WriteRequestLine(SipMethod method, scoped ReadOnlySpan<byte> requestUri)
    {
        ReadOnlySpan<byte> token = SipMethods.GetName(method);
        if (token.IsEmpty)
        {
            ThrowUnknownMethod(method);
        }
        WriteRequestLine(token, requestUri);
    }

    /// <summary>Method SP Request-URI SP SIP-Version CRLF (RFC 3261 §7.1).</summary>
    public void WriteRequestLine(scoped ReadOnlySpan<byte> methodToken, scoped ReadOnlySpan<byte> requestUri)
    {
        ReadOnlySpan<byte> tail = " SIP/2.0\r\n"u8;
        int length = methodToken.Length + 1 + requestUri.Length + tail.Length;
        Span<byte> span = _output.GetSpan(length);
        methodToken.CopyTo(span);
        int pos = methodToken.Length;
        span[pos++] = (byte)' ';
        requestUri.CopyTo(span[pos..]);
        pos += requestUri.Length;
        tail.CopyTo(span[pos..]);
        Advance(length);
    }

    /// <summary>SIP-Version SP Status-Code SP Reason-Phrase CRLF (RFC 3261 §7.2).</summary>
    public void WriteStatusLine(int statusCode, scoped ReadOnlySpan<byte> reasonPhrase)
    {
        if (statusCode is < 100 or > 699)
        {
            ThrowBadStatusCode(statusCode);
        }
        if (statusCode == 100 && reasonPhrase.SequenceEqual("Trying"u8))
        {
            WriteRaw(StatusLine100Trying);
            return;
        }
        ReadOnlySpan<byte> version = "SIP/2.0 "u8;
        int length = version.Length + 4 + reasonPhrase.Length + 2;
        Span<byte> span = _output.GetSpan(length);
        version.CopyTo(span);
        int pos = version.Length;
        span[pos++] = (byte)('0' + (statusCode / 100));
        span[pos++] = (byte)('0' + (statusCode / 10 % 10));
        span[pos++] = (byte)('0' + (statusCode % 10));
        span[pos++] = (byte)' ';
        reasonPhrase.CopyTo(span[pos..]);
        pos += reasonPhrase.Length;
        Crlf.CopyTo(span[pos..]);
        Advance(length);
    }

    /// <summary>name ": " value CRLF.</summary>
    public void WriteHeader(scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> value)
    {
        int length = name.Length + 2 + value.Length + 2;
        Span<byte> span = _output.GetSpan(length);
        name.CopyTo(span);
        int pos = name.Length;
        ColonSpace.CopyTo(span[pos..]);
        pos += 2;
        value.CopyTo(span[pos..]);
        pos += value.Length;
        Crlf.CopyTo(span[pos..]);
        Advance(length);
    }

    public void WriteHeader(HeaderKind kind, scoped ReadOnlySpan<byte> value) => WriteHeader(HeaderKinds.GetName(kind), value);

    /// <summary>name ": " decimal CRLF.</summary>
    public void WriteHeader(scoped ReadOnlySpan<byte> name, long value)
    {
        Span<byte> span = _output.GetSpan(name.Length + 2 + 20 + 2);
        name.CopyTo(span);
        int pos = name.Length;
        ColonSpace.CopyTo(span[pos..]);
        pos += 2;
        Utf8Formatter.TryFormat(value, span[pos..], out int digits);
        pos += digits;
        Crlf.CopyTo(span[pos..]);
        Advance(pos + 2);
    }

    /// <summary>A complete header line given without its CRLF.</summary>
    public void WriteHeaderLine(scoped ReadOnlySpan<byte> lineWithoutCrlf)
    {
        int length = lineWithoutCrlf.Length + 2;
        Span<byte> span = _output.GetSpan(length);
        lineWithoutCrlf.CopyTo(span);
        Crlf.CopyTo(span[lineWithoutCrlf.Length..]);
        Advance(length);
    }

    /// <summary>Bytes as they are (pre-formatted header lines that already end in CRLF, pre-encoded messages).</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }
        Span<byte> span = _output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        Advance(bytes.Length);
    }

    /// <summary>
    /// Content-Type (when there is a body), Content-Length (always: RFC 3261 §18.3 requires it on
    /// streams and it costs nothing on datagrams), the empty line, then the body.
    /// </summary>
    public void EndHeaders(scoped ReadOnlySpan<byte> contentType, scoped ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty && !contentType.IsEmpty)
        {
            WriteHeader("Content-Type"u8, contentType);
        }
        WriteHeader("Content-Length"u8, body.Length);
        WriteRaw(Crlf);
        WriteRaw(body);
    }

    private void Advance(int count)
    {
        _output.Advance(count);
        BytesWritten += count;
    }

    [DoesNotReturn]
    private static void ThrowUnknownMethod(SipMethod method) =>
        throw new ArgumentException($"{method} has no token; pass the method token instead.", nameof(method));

    [DoesNotReturn]
    private static void ThrowBadStatusCode(int statusCode) =>
        throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A SIP status code is 100-699.");
}
