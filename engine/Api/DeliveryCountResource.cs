namespace CallTracking.Engine.Api;

/// <summary>How many deliveries of a kind are in a status (<c>GET /v1/deliveries/status</c>).</summary>
public sealed record DeliveryCountResource(string Kind, string Status, long Count);
