namespace CallTracking.Engine.Api;

/// <summary>One attempt of a delivery, as the delivery log shows it.</summary>
public sealed record DeliveryAttemptResource(int Attempt, string Engine, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, int? StatusCode, string? Error, string? Response);
