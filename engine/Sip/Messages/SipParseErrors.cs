namespace CallTracking.Engine.Sip.Messages;

/// <summary>Reason phrases for rejections.</summary>
public static class SipParseErrors
{
    /// <summary>
    /// A reason phrase for the 400 (or 505 for <see cref="SipParseError.BadVersion"/>, 513 for
    /// <see cref="SipParseError.MessageTooLarge"/>) that answers a rejected request; RFC 3261 §21.4.1
    /// lets the phrase say what was wrong.
    /// </summary>
    public static ReadOnlySpan<byte> ReasonPhrase(SipParseError error) => error switch
    {
        SipParseError.None => "OK"u8,
        SipParseError.MessageTooLarge => "Message Too Large"u8,
        SipParseError.BadStartLine => "Bad Request - Malformed Start Line"u8,
        SipParseError.BadVersion => "SIP Version Not Supported"u8,
        SipParseError.BadMethod => "Bad Request - Malformed Method"u8,
        SipParseError.BadStatusCode => "Bad Request - Malformed Status Code"u8,
        SipParseError.BadHeaderLine => "Bad Request - Malformed Header"u8,
        SipParseError.TooManyHeaders => "Bad Request - Too Many Headers"u8,
        SipParseError.MissingVia => "Bad Request - Missing Via"u8,
        SipParseError.MissingFrom => "Bad Request - Missing From"u8,
        SipParseError.MissingTo => "Bad Request - Missing To"u8,
        SipParseError.MissingCallId => "Bad Request - Missing Call-ID"u8,
        SipParseError.MissingCSeq => "Bad Request - Missing CSeq"u8,
        SipParseError.BadVia => "Bad Request - Malformed Via"u8,
        SipParseError.BadFrom => "Bad Request - Malformed From"u8,
        SipParseError.BadTo => "Bad Request - Malformed To"u8,
        SipParseError.BadCSeq => "Bad Request - Malformed CSeq"u8,
        SipParseError.CSeqMethodMismatch => "Bad Request - CSeq Method Mismatch"u8,
        SipParseError.BadMaxForwards => "Bad Request - Malformed Max-Forwards"u8,
        SipParseError.BadContentLength => "Bad Request - Malformed Content-Length"u8,
        SipParseError.BodyTruncated => "Bad Request - Body Shorter Than Content-Length"u8,
        SipParseError.BadRequestUri => "Bad Request - Malformed Request-URI"u8,
        SipParseError.BadCallId => "Bad Request - Malformed Call-ID"u8,
        SipParseError.EmptyMessage => "Bad Request - Empty Message"u8,
        _ => "Bad Request"u8,
    };

    /// <summary>
    /// The status code for answering a rejected request: 505 for a SIP version other than 2.0
    /// (RFC 3261 §8.2.2 note, §21.5.7), 513 for an oversized message (§21.5.11), else 400.
    /// </summary>
    public static int StatusCode(SipParseError error) => error switch
    {
        SipParseError.BadVersion => 505,
        SipParseError.MessageTooLarge => 513,
        _ => 400,
    };
}
