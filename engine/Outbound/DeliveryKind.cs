namespace CallTracking.Engine.Outbound;

/// <summary>The <c>outbound_deliveries.kind</c> values.</summary>
public static class DeliveryKind
{
    public const string Webhook = "webhook";
    public const string Conversion = "conversion";
}
