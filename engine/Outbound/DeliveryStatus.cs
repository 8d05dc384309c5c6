namespace CallTracking.Engine.Outbound;

/// <summary>The <c>outbound_deliveries.status</c> values (see migration 0008 for what each means).</summary>
public static class DeliveryStatus
{
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
}
