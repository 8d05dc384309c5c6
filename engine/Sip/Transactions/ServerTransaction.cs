namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// A server transaction (RFC 3261 §17.2): the TU sends responses through it, the transport's
/// retransmitted requests are absorbed by it. The response bytes passed in are kept (not copied)
/// and re-sent until the transaction terminates.
/// </summary>
public abstract class ServerTransaction : SipTransaction
{
    private protected ServerTransaction(
        TransactionTable table, TransactionKey key, Transport.SipRemote remote, object? userState, TransactionState initial)
        : base(table, key, remote, userState, initial)
    {
    }

    public sealed override bool IsServer => true;

    /// <summary>True once a final response has been sent (for CANCEL handling, RFC 3261 §9.2).</summary>
    public abstract bool HasSentFinalResponse { get; }

    /// <summary>Sends a 1xx. False when a final response was already sent or the transaction ended.</summary>
    public abstract bool SendProvisionalResponse(ReadOnlyMemory<byte> response);

    /// <summary>Sends the final response (<paramref name="statusCode"/> 200–699). False, and nothing sent,
    /// when a final response was already sent or the transaction ended; this makes a CANCEL's 487 and the
    /// TU's 200 race-free.</summary>
    public abstract bool SendFinalResponse(int statusCode, ReadOnlyMemory<byte> response);

    /// <summary>A retransmission of the request that created the transaction arrived.</summary>
    internal abstract void AbsorbRetransmission();

    private protected static void ValidateFinal(int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
    }
}
