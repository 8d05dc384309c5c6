using System.Globalization;

namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>
/// Meta Conversions API server events (developers.facebook.com/docs/marketing-api/conversions-api/parameters):
/// <c>POST /{pixel_id}/events</c> with <c>data</c> of one event: <c>event_name</c>, <c>event_time</c> (Unix
/// seconds), <c>event_id</c> (the call id: Meta de-duplicates events with the same id and name),
/// <c>action_source</c> <c>phone_call</c>, and <c>user_data</c>:
/// <list type="bullet">
/// <item><c>fbc</c> from the visit's fbclid, formatted <c>fb.1.&lt;creationTime ms&gt;.&lt;fbclid&gt;</c> ("fbp and
/// fbc parameters": subdomain index 1, the time the click id was seen, the fbclid unchanged — it is case
/// sensitive); not hashed.</item>
/// <item><c>ph</c>: SHA-256 of the phone number as digits only, with the country code, no + or leading zeros
/// ("Customer information parameters": hashing required).</item>
/// </list>
/// The access token is added as a query parameter when the request is sent.
/// </summary>
public static class MetaConversions
{
    public const string DefaultEndpoint = "https://graph.facebook.com/v21.0/{pixel_id}/events";

    /// <summary><c>fb.1.&lt;ms&gt;.&lt;fbclid&gt;</c>.</summary>
    public static string Fbc(string fbclid, DateTimeOffset seenAt) =>
        "fb.1." + seenAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "." + fbclid;

    public static ConversionRequest Build(ConversionAction action, ConversionCall call)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(call);
        var phone = PhoneNormaliser.Normalise(call.CallerNumber, call.PhoneCountry);
        if (call.Fbclid is null && !phone.IsValid)
        {
            return ConversionRequest.Rejected("no fbclid, and " + phone.Reason);
        }

        var url = (action.Setting("endpoint") ?? DefaultEndpoint).Replace("{pixel_id}", action.Setting("pixel_id") ?? string.Empty, StringComparison.Ordinal);
        var body = ConversionJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            w.WriteStartObject();
            w.WriteString("event_name", action.ConversionName);
            w.WriteNumber("event_time", call.StartedAt.ToUnixTimeSeconds());
            w.WriteString("event_id", call.CallId.ToString());
            w.WriteString("action_source", "phone_call");
            w.WriteStartObject("user_data");
            if (phone.IsValid)
            {
                w.WriteStartArray("ph");
                w.WriteStringValue(PhoneNormaliser.HashDigits(phone));
                w.WriteEndArray();
            }

            if (call.Fbclid is { } fbclid)
            {
                w.WriteString("fbc", Fbc(fbclid, call.AttributedAt ?? call.StartedAt));
            }

            w.WriteEndObject();
            if (action.ValueOf(call) is { } value)
            {
                w.WriteStartObject("custom_data");
                w.WriteNumber("value", value);
                w.WriteString("currency", action.Currency);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndArray();
            w.StringIfSet("test_event_code", action.Setting("test_event_code"));
            w.WriteEndObject();
        });
        return new(url, body, null);
    }
}
