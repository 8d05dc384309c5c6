namespace CallTracking.Engine.Outbound;

/// <summary>The meaning of one attempt: <see cref="Kind"/> and, for rejections and retries, the remote's reason or the error.</summary>
public readonly record struct DeliveryOutcome(OutcomeKind Kind, string? Reason)
{
    public static DeliveryOutcome Sent() => new(OutcomeKind.Sent, null);

    public static DeliveryOutcome Accepted() => new(OutcomeKind.Accepted, null);

    public static DeliveryOutcome Rejected(string reason) => new(OutcomeKind.Rejected, reason);

    public static DeliveryOutcome Retry(string reason) => new(OutcomeKind.Retry, reason);

    /// <summary>
    /// The default reading of an HTTP status: 2xx sent; 408 (Request Timeout), 425 (Too Early), 429 (Too Many
    /// Requests) and 5xx are transient (RFC 9110 §15.5.9, §15.6; RFC 6585 §4) and retried; any other answer is the
    /// receiver's final word.
    /// </summary>
    public static DeliveryOutcome FromStatus(int statusCode, string? responseExcerpt)
    {
        if (statusCode is >= 200 and < 300)
        {
            return Sent();
        }

        var reason = $"HTTP {statusCode}" + (string.IsNullOrWhiteSpace(responseExcerpt) ? string.Empty : ": " + responseExcerpt);
        return statusCode is 408 or 425 or 429 or >= 500 ? Retry(reason) : Rejected(reason);
    }
}
