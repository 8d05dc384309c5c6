using System.Buffers;
using CallTracking.Engine.Sip.Messages;

namespace CallTracking.Engine.Sip.Parsing;

/// <summary>
/// Stateless SIP message parser (RFC 3261 §7, framing §18.3). It copies one framed message into
/// the <see cref="SipMessage"/>'s buffer (a single memcpy of at most 64 KiB), then indexes it in
/// place. Never throws on network input and allocates nothing once the message's buffer is rented.
/// </summary>
public static partial class SipParser
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    private static ReadOnlySpan<byte> CrlfCrlf => "\r\n\r\n"u8;

    /// <param name="input">Datagram: exactly one message. Stream: whatever the connection has buffered.</param>
    /// <param name="isDatagram">UDP framing (the datagram is the message) rather than TCP/TLS framing by Content-Length.</param>
    /// <param name="into">Reset and filled; on <see cref="SipParseStatus.Invalid"/> it keeps what could be read.</param>
    /// <param name="consumed">Where the caller should advance its reader to.</param>
    /// <param name="error">Why the message is invalid; <see cref="SipParseError.None"/> otherwise.</param>
    public static SipParseStatus TryParse(
        in ReadOnlySequence<byte> input,
        bool isDatagram,
        SipMessage into,
        out SequencePosition consumed,
        out SipParseError error)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.Reset();

        // RFC 3261 §7.5: implementations should ignore CRLFs before a start line; on streams they
        // are also the RFC 5626 §3.5.1 keep-alive.
        var reader = new SequenceReader<byte>(input);
        while (reader.IsNext(Crlf, advancePast: true))
        {
        }
        ReadOnlySequence<byte> message = reader.UnreadSequence;

        return isDatagram
            ? ParseDatagram(input, message, into, out consumed, out error)
            : ParseStream(input, reader.Consumed == 0 ? input.Start : reader.Position, message, into, out consumed, out error);
    }

    private static SipParseStatus ParseDatagram(
        in ReadOnlySequence<byte> input,
        in ReadOnlySequence<byte> message,
        SipMessage into,
        out SequencePosition consumed,
        out SipParseError error)
    {
        consumed = input.End;
        long available = message.Length;
        if (available == 0)
        {
            error = SipParseError.EmptyMessage;
            return SipParseStatus.Invalid;
        }
        if (available > SipMessage.MaxMessageSize)
        {
            error = SipParseError.MessageTooLarge;
            return SipParseStatus.Invalid;
        }

        int length = (int)available;
        Span<byte> buffer = into.EnsureCapacity(length);
        message.CopyTo(buffer);
        buffer = buffer[..length];

        // A datagram without the empty line is read leniently as all headers and no body.
        int headEnd = buffer.IndexOf(CrlfCrlf);
        int headerLength = headEnd < 0 ? length : headEnd + 2;
        int bodyStart = headEnd < 0 ? length : headEnd + 4;
        into.Fields.Length = headerLength;

        error = ParseHead(into, headerLength);

        // RFC 3261 §18.3: on datagrams Content-Length bounds the body and extra bytes are
        // ignored; a body shorter than Content-Length makes the message invalid.
        int bodyLength = length - bodyStart;
        int contentLength = into.Fields.ContentLength;
        if (contentLength >= 0)
        {
            if (contentLength > bodyLength)
            {
                if (error == SipParseError.None)
                {
                    error = SipParseError.BodyTruncated;
                }
            }
            else
            {
                bodyLength = contentLength;
            }
        }
        into.Fields.Body = new ByteRange(bodyStart, bodyLength);
        into.Fields.Length = bodyStart + bodyLength;
        return error == SipParseError.None ? SipParseStatus.Complete : SipParseStatus.Invalid;
    }

    private static SipParseStatus ParseStream(
        in ReadOnlySequence<byte> input,
        SequencePosition start,
        in ReadOnlySequence<byte> message,
        SipMessage into,
        out SequencePosition consumed,
        out SipParseError error)
    {
        long available = message.Length;
        ReadOnlySequence<byte> window = available > SipMessage.MaxMessageSize
            ? message.Slice(0, SipMessage.MaxMessageSize)
            : message;
        var reader = new SequenceReader<byte>(window);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, CrlfCrlf, advancePastDelimiter: false))
        {
            if (available >= SipMessage.MaxMessageSize)
            {
                consumed = input.Start;
                error = SipParseError.MessageTooLarge;
                return SipParseStatus.Invalid;
            }
            consumed = start;
            error = SipParseError.None;
            return SipParseStatus.Incomplete;
        }

        int headerLength = (int)head.Length + 2;
        int bodyStart = headerLength + 2;
        Span<byte> buffer = into.EnsureCapacity(bodyStart);
        window.Slice(0, bodyStart).CopyTo(buffer);
        into.Fields.Length = headerLength;

        error = ParseHead(into, headerLength);

        int contentLength = into.Fields.ContentLength;
        // RFC 3261 §18.3 / §20.14: Content-Length MUST be used with stream transports; without a sound
        // one (or with a broken header section) the next message's start cannot be found.
        if (contentLength < 0 || error is SipParseError.BadHeaderLine or SipParseError.TooManyHeaders)
        {
            if (error == SipParseError.None)
            {
                error = SipParseError.BadContentLength;
            }
            consumed = input.Start;
            return SipParseStatus.Invalid;
        }
        long total = (long)bodyStart + contentLength;
        if (total > SipMessage.MaxMessageSize)
        {
            consumed = input.Start;
            error = SipParseError.MessageTooLarge;
            return SipParseStatus.Invalid;
        }
        if (available < total)
        {
            consumed = start;
            error = SipParseError.None;
            return SipParseStatus.Incomplete;
        }

        buffer = into.EnsureCapacity((int)total, preserve: bodyStart);
        message.Slice(bodyStart, contentLength).CopyTo(buffer[bodyStart..]);
        into.Fields.Body = new ByteRange(bodyStart, contentLength);
        into.Fields.Length = (int)total;
        consumed = message.GetPosition(total);
        return error == SipParseError.None ? SipParseStatus.Complete : SipParseStatus.Invalid;
    }
}
