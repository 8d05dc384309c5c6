namespace CallTracking.Engine.Sip.Parsing;

/// <summary>The outcome of <see cref="SipParser.TryParse"/>.</summary>
public enum SipParseStatus : byte
{
    /// <summary>A whole message was parsed; <c>consumed</c> is just past it.</summary>
    Complete,

    /// <summary>
    /// Stream only: more bytes are needed. Nothing of the message is consumed (only keep-alive
    /// CRLFs before it, RFC 5626 §3.5.1); call again when more has arrived.
    /// </summary>
    Incomplete,

    /// <summary>
    /// The message is bad (see the error). The message object keeps what could be read, so a
    /// request with usable Via/From/To/Call-ID/CSeq can still be answered (RFC 3261 §8.2).
    /// Datagram: <c>consumed</c> is the end. Stream: <c>consumed</c> is just past the bad message when its
    /// framing (header end and Content-Length) was sound, so the connection can go on; otherwise it is
    /// the input's start and the connection cannot be resynchronised and should be closed.
    /// </summary>
    Invalid,
}
