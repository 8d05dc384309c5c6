namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// The one upward path from the transaction layer to the transaction user (the core above it).
/// Calls come from the thread that delivered a message or from a timer thread, never while a
/// transaction lock is held, so the TU may call back into the layer. Implementations must not throw.
/// The <c>object? message</c> values are whatever the core passed in with the message (its parsed
/// message); the layer never looks inside them.
/// </summary>
public interface ITransactionUser
{
    /// <summary>A response for a client transaction that the TU must see: every 1xx, the first final,
    /// and for INVITE every 2xx (retransmitted or forked) while Accepted (RFC 6026 §7.2).
    /// Retransmitted non-2xx finals are absorbed (and re-ACKed for INVITE).</summary>
    void OnResponse(ClientTransaction transaction, int statusCode, object? message);

    /// <summary>An ACK for a 2xx this INVITE server transaction sent (RFC 6026 §7.1). Passed once:
    /// it stops the 2xx retransmissions, and later copies are absorbed.</summary>
    void OnAckFor2xx(ServerInviteTransaction transaction, object? ack);

    /// <summary>The 2xx was retransmitted for 64*T1 without an ACK (RFC 3261 §13.3.1.4): the TU should
    /// send BYE.</summary>
    void OnNoAckFor2xx(ServerInviteTransaction transaction);

    /// <summary>Timer B or F (client: no final response), or Timer H (INVITE server: no ACK for a
    /// non-2xx final). The transaction is Terminated.</summary>
    void OnTimeout(SipTransaction transaction);

    /// <summary>The transport refused a message (RFC 3261 §17.1.4, §17.2.4). The transaction is Terminated.</summary>
    void OnTransportError(SipTransaction transaction);
}
