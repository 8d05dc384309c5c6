namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// A client transaction (RFC 3261 §17.1): it sends the request it was created with, retransmits it
/// on unreliable transports, and passes responses up through <see cref="ITransactionUser.OnResponse"/>.
/// </summary>
public abstract class ClientTransaction : SipTransaction
{
    private protected ClientTransaction(
        TransactionTable table, TransactionKey key, Transport.SipRemote remote, ReadOnlyMemory<byte> request,
        object? userState, TransactionState initial)
        : base(table, key, remote, userState, initial)
    {
        Request = request;
    }

    public sealed override bool IsServer => false;

    /// <summary>The request bytes, kept for retransmission.</summary>
    public ReadOnlyMemory<byte> Request { get; }

    /// <summary>A response matched this transaction. False when it had already terminated (the core then
    /// treats the response as stray, e.g. a late 2xx retransmission for the dialog layer).</summary>
    internal abstract bool ReceiveResponse(int statusCode, object? message);

    private protected static void ValidateStatus(int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
    }

    private protected static void PassUp(int statusCode, object? message, ref Outcome outcome)
    {
        outcome.Notice = Notice.Response;
        outcome.StatusCode = statusCode;
        outcome.Message = message;
    }
}
