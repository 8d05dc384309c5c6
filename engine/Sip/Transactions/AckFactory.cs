namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// Builds the ACK a client INVITE transaction sends for a non-2xx final response
/// (RFC 3261 §17.1.1.3: same Request-URI, Call-ID, From, top Via and CSeq number as the INVITE,
/// the To of the response). <paramref name="response"/> is the opaque message the core passed to
/// <see cref="TransactionTable.ReceiveResponse"/>. Called once per transaction, outside the
/// transaction's lock; the returned memory is kept and re-sent for retransmitted finals until the
/// transaction terminates, so it must not be reused by the caller.
/// </summary>
public delegate ReadOnlyMemory<byte> AckFactory(int statusCode, object? response);
