namespace CallTracking.Engine.Sip.Transactions;

/// <summary>What the transaction layer did with a request received from the transport.</summary>
public enum RequestDisposition : byte
{
    /// <summary>No transaction matched: a new request for the core (or, for ACK, an ACK for a 2xx
    /// that carries a new branch, RFC 3261 §13.2.2.4, to be routed by dialog).</summary>
    NoMatch,

    /// <summary>A retransmission, or an ACK for a non-2xx final: handled here, the core does nothing.</summary>
    Absorbed,

    /// <summary>An ACK for a 2xx matched an INVITE server transaction in the Accepted state and was passed
    /// to <see cref="ITransactionUser.OnAckFor2xx"/> (RFC 6026 §7.1).</summary>
    AckPassedToUser,
}
