using System.Globalization;
using CallTracking.Engine.Outbound;
using CallTracking.Engine.Tracking.Conversions;

namespace CallTracking.Engine.Webhooks;

/// <summary>
/// The JSON body of a webhook delivery:
/// <code>
/// { "id": "evt_1234", "type": "call.ended", "occurred_at": "2026-03-01T12:00:00Z", "organisation_id": "…",
///   "call_id": "…", "change": "tags", "data": { …the event's payload as stored… } }
/// </code>
/// <c>id</c> is the stored event's id (the same for every endpoint and retry); <c>change</c> is only on
/// <c>call.modified</c>. Receivers should de-duplicate on the <c>CallTracking-Delivery</c> header.
/// </summary>
public static class WebhookPayload
{
    public static string Build(StoredEvent stored, string type, string? change)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return ConversionJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", "evt_" + stored.Id.ToString(CultureInfo.InvariantCulture));
            w.WriteString("type", type);
            w.WriteString("occurred_at", stored.OccurredAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteString("organisation_id", stored.OrganisationId);
            if (stored.CallId is { } call)
            {
                w.WriteString("call_id", call);
            }

            w.StringIfSet("change", change);
            w.WritePropertyName("data");
            w.WriteRawValue(stored.PayloadJson);
            w.WriteEndObject();
        });
    }
}
