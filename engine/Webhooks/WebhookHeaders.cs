namespace CallTracking.Engine.Webhooks;

/// <summary>The headers on every outbound delivery besides <see cref="WebhookSignature.HeaderName"/>.</summary>
public static class WebhookHeaders
{
    /// <summary>The delivery id (a UUID), the same on every retry of a delivery: receivers de-duplicate on it.</summary>
    public const string Delivery = "CallTracking-Delivery";

    /// <summary>The webhook event type (<c>call.ended</c>, ...).</summary>
    public const string Event = "CallTracking-Event";

    /// <summary>On a replay, the id of the delivery it repeats.</summary>
    public const string ReplayOf = "CallTracking-Replay-Of";

    /// <summary>Which attempt this is (1 for the first).</summary>
    public const string Attempt = "CallTracking-Attempt";
}
