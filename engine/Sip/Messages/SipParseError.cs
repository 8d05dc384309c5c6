namespace CallTracking.Engine.Sip.Messages;

/// <summary>Why a message was rejected. A value, never an exception: bad input comes from the network.</summary>
public enum SipParseError : byte
{
    None = 0,
    MessageTooLarge,
    BadStartLine,
    BadVersion,
    BadMethod,
    BadStatusCode,
    BadHeaderLine,
    TooManyHeaders,
    MissingVia,
    MissingFrom,
    MissingTo,
    MissingCallId,
    MissingCSeq,
    BadVia,
    BadFrom,
    BadTo,
    BadCSeq,
    CSeqMethodMismatch,
    BadMaxForwards,
    BadContentLength,
    BodyTruncated,
    BadRequestUri,
    BadCallId,

    /// <summary>A datagram that held nothing but CRLFs (a keep-alive, RFC 5626 §4.4.1): drop it silently.</summary>
    EmptyMessage,
}
