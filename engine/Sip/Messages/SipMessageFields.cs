namespace CallTracking.Engine.Sip.Messages;

/// <summary>
/// The scalar state of a <see cref="SipMessage"/>, kept in one struct so Reset and Clone are a
/// single assignment. Ranges index the message buffer.
/// </summary>
internal struct SipMessageFields
{
    public int Length;
    public bool IsRequest;
    public bool IsResponse;
    public SipMethod Method;
    public ByteRange MethodToken;
    public ByteRange RequestUri;
    public int StatusCode;
    public ByteRange ReasonPhrase;
    public ByteRange CallId;
    public uint CSeqNumber;
    public SipMethod CSeqMethod;
    public ByteRange CSeqMethodToken;
    public ByteRange FromTag;
    public ByteRange ToTag;
    public ByteRange TopVia;
    public int MaxForwards;
    public int ContentLength;
    public ByteRange Body;

    public static SipMessageFields Empty => new() { MaxForwards = -1, ContentLength = -1 };
}
