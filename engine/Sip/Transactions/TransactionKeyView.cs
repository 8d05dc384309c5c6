using CallTracking.Engine.Sip.Messages;

namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// A transaction key made of slices of a received message, used to look a transaction up without
/// allocating (through a dictionary alternate lookup). Server keys (RFC 3261 §17.2.3) are top-Via
/// branch + sent-by + method; client keys (§17.1.3) are branch + CSeq method with an empty sent-by.
/// </summary>
/// <remarks>
/// RFC 2543 peers (branch without the z9hG4bK cookie, or no branch) are not matched by the
/// §17.2.3.1 fallback rules: their requests are keyed by the same three fields, so a peer whose
/// retransmissions repeat the branch still matches, and one that has none gets a new transaction
/// per message.
/// </remarks>
public readonly ref struct TransactionKeyView
{
    public TransactionKeyView(ReadOnlySpan<byte> branch, ReadOnlySpan<byte> sentBy, SipMethod method)
    {
        Branch = branch;
        SentBy = sentBy;
        Method = method;
    }

    public ReadOnlySpan<byte> Branch { get; }

    public ReadOnlySpan<byte> SentBy { get; }

    public SipMethod Method { get; }

    /// <summary>RFC 3261 §17.2.3: server transaction key of a request.</summary>
    public static TransactionKeyView ForServer(ReadOnlySpan<byte> branch, ReadOnlySpan<byte> sentBy, SipMethod method)
        => new(branch, sentBy, method);

    /// <summary>RFC 3261 §17.1.3: client transaction key of a response (top Via branch, CSeq method).</summary>
    public static TransactionKeyView ForClient(ReadOnlySpan<byte> branch, SipMethod cseqMethod)
        => new(branch, default, cseqMethod);

    /// <summary>The same branch and sent-by with another method (ACK and CANCEL look up the INVITE).</summary>
    public TransactionKeyView WithMethod(SipMethod method) => new(Branch, SentBy, method);
}
