namespace CallTracking.Engine.Outbound;

/// <summary>What one attempt's answer means for its delivery.</summary>
public enum OutcomeKind
{
    /// <summary>2xx from a receiver that does not report on the content (webhooks, GA4).</summary>
    Sent,

    /// <summary>2xx and the platform reported no error for the conversion.</summary>
    Accepted,

    /// <summary>The receiver refused it for good; retrying would get the same answer.</summary>
    Rejected,

    /// <summary>Try again later (5xx, 408, 429, time-out, connection failure), while retries are left.</summary>
    Retry,
}
