namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>
/// GA4 Measurement Protocol events (developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events):
/// <c>POST /mp/collect?measurement_id=…&amp;api_secret=…</c> with a JSON body of the web stream's <c>client_id</c>
/// (the visitor's <c>_ga</c> cookie value, from the visit) and <c>events</c>; each event's <c>params</c> carry
/// <c>session_id</c> and <c>engagement_time_msec</c>, which tie the event to the visit's session (without them it is
/// reported as "(not set)"). The call's start is <c>timestamp_micros</c>. measurement_id and api_secret are added
/// when the request is sent.
/// </summary>
public static class Ga4Conversions
{
    public const string DefaultEndpoint = "https://www.google-analytics.com/mp/collect";

    public static ConversionRequest Build(ConversionAction action, ConversionCall call)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(call);
        if (call.GaClientId is null)
        {
            return ConversionRequest.Rejected("no GA client id: the visit that led to the call had no _ga cookie");
        }

        var body = ConversionJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("client_id", call.GaClientId);
            w.WriteNumber("timestamp_micros", call.StartedAt.ToUnixTimeMilliseconds() * 1000);
            w.WriteStartArray("events");
            w.WriteStartObject();
            w.WriteString("name", action.ConversionName);
            w.WriteStartObject("params");
            w.StringIfSet("session_id", call.GaSessionId);
            w.WriteNumber("engagement_time_msec", (long)Math.Round((call.TalkSeconds ?? 0) * 1000));
            if (action.ValueOf(call) is { } value)
            {
                w.WriteNumber("value", value);
                w.WriteString("currency", action.Currency);
            }

            w.WriteString("call_id", call.CallId.ToString());
            if (call.TalkSeconds is { } talk)
            {
                w.WriteNumber("talk_seconds", talk);
            }

            w.StringIfSet("source", call.UtmSource);
            w.StringIfSet("medium", call.UtmMedium);
            w.StringIfSet("campaign", call.UtmCampaign);
            w.StringIfSet("term", call.UtmTerm);
            w.StringIfSet("content", call.UtmContent);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return new(action.Setting("endpoint") ?? DefaultEndpoint, body, null);
    }
}
