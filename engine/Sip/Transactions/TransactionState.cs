namespace CallTracking.Engine.Sip.Transactions;

/// <summary>
/// States of the four RFC 3261 §17 transaction machines, plus RFC 6026's Accepted.
/// Each machine uses a subset: INVITE client Calling/Proceeding/Completed/Accepted;
/// non-INVITE client Trying/Proceeding/Completed; INVITE server Proceeding/Completed/
/// Confirmed/Accepted; non-INVITE server Trying/Proceeding/Completed.
/// </summary>
public enum TransactionState : byte
{
    Calling,
    Trying,
    Proceeding,
    Completed,
    Confirmed,
    Accepted,
    Terminated,
}
