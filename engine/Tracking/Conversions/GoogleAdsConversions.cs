namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>
/// Google Ads offline conversions from calls, in the two shapes Google takes them.
/// <para>The import file ("Import conversions from ad clicks into Google Ads using files",
/// support.google.com/google-ads/answer/7014069): a first row <c>Parameters:TimeZone=&lt;zone&gt;</c> that gives the
/// zone of every Conversion Time, then the header row that must start with <c>Google Click ID</c>, then one row per
/// conversion. Only calls with a click id go in the file; the app/web iOS click ids ride in the GBRAID and WBRAID
/// columns with Google Click ID left empty.</para>
/// <para>The API (ConversionUploadService.UploadClickConversions, developers.google.com/google-ads/api/reference/rpc/
/// ClickConversion): one <c>ClickConversion</c> with exactly one of gclid, gbraid, wbraid, and
/// <c>conversion_date_time</c> as "yyyy-mm-dd hh:mm:ss+|-hh:mm"; a call without any click id becomes an enhanced
/// conversion for leads whose <c>user_identifiers</c> hold <c>hashed_phone_number</c>: the SHA-256 hex of the
/// caller's E.164 number ("Enhanced conversions for leads": normalise to E.164, then hash). Field names are the
/// proto names, which the API's JSON parser accepts as well as lowerCamelCase (proto3 JSON mapping).</para>
/// </summary>
public static class GoogleAdsConversions
{
    public const string DefaultEndpoint = "https://googleads.googleapis.com/v20/customers/{customer_id}:uploadClickConversions";

    public static readonly IReadOnlyList<string> CsvColumns =
        ["Google Click ID", "GBRAID", "WBRAID", "Conversion Name", "Conversion Time", "Conversion Value", "Conversion Currency"];

    /// <summary>The import file for <paramref name="rows"/> (qualifying calls with a click id; others are skipped).</summary>
    public static void WriteCsv(TextWriter writer, string timeZone, IEnumerable<(ConversionAction Action, ConversionCall Call)> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        writer.Write("Parameters:TimeZone=" + timeZone + "\r\n");
        CsvWriter.WriteRecord(writer, [.. CsvColumns]);
        foreach (var (action, call) in rows)
        {
            if (!call.HasGoogleClick)
            {
                continue;
            }

            // One click id per row: gclid when there is one, else the iOS id the visit carried.
            var gclid = call.Gclid;
            var gbraid = gclid is null ? call.Gbraid : null;
            var wbraid = gclid is null && gbraid is null ? call.Wbraid : null;
            var value = action.ValueOf(call);
            CsvWriter.WriteRecord(
                writer,
                gclid,
                gbraid,
                wbraid,
                action.ConversionName,
                ConversionJson.LocalTime(call.StartedAt, timeZone),
                value is { } v ? ConversionJson.Money(v) : null,
                value is null ? null : action.Currency);
        }
    }

    /// <summary>The UploadClickConversions request body for one call.</summary>
    public static ConversionRequest BuildUpload(ConversionAction action, ConversionCall call)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(call);
        string? hashedPhone = null;
        if (!call.HasGoogleClick)
        {
            var phone = PhoneNormaliser.Normalise(call.CallerNumber, call.PhoneCountry);
            if (!phone.IsValid)
            {
                return ConversionRequest.Rejected("no click id, and " + phone.Reason);
            }

            hashedPhone = PhoneNormaliser.HashE164(phone);
        }

        var customer = action.Setting("customer_id");
        var url = (action.Setting("endpoint") ?? DefaultEndpoint).Replace("{customer_id}", customer ?? string.Empty, StringComparison.Ordinal);
        var body = ConversionJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("conversions");
            w.WriteStartObject();
            // The API wants the action's resource name (customers/…/conversionActions/…); the file wants its display name.
            w.WriteString("conversion_action", action.Setting("conversion_action") ?? action.ConversionName);
            w.WriteString("conversion_date_time", ConversionJson.GoogleDateTime(call.StartedAt, call.TimeZone));
            if (action.ValueOf(call) is { } value)
            {
                w.WriteNumber("conversion_value", value);
                w.WriteString("currency_code", action.Currency);
            }

            // order_id makes a re-upload of the same call a duplicate Google drops, not a second conversion.
            w.WriteString("order_id", call.CallId.ToString());
            if (call.Gclid is { } gclid)
            {
                w.WriteString("gclid", gclid);
            }
            else if (call.Gbraid is { } gbraid)
            {
                w.WriteString("gbraid", gbraid);
            }
            else if (call.Wbraid is { } wbraid)
            {
                w.WriteString("wbraid", wbraid);
            }
            else
            {
                w.WriteStartArray("user_identifiers");
                w.WriteStartObject();
                w.WriteString("user_identifier_source", "FIRST_PARTY");
                w.WriteString("hashed_phone_number", hashedPhone);
                w.WriteEndObject();
                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndArray();

            // With partial_failure, a bad row is reported in partialFailureError with HTTP 200 (see ConversionRequests.Classify).
            w.WriteBoolean("partial_failure", true);
            w.WriteEndObject();
        });
        return new(url, body, null);
    }
}
