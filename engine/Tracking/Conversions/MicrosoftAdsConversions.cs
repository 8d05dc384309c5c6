using System.Globalization;

namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>
/// Microsoft Advertising offline conversions keyed by the visit's msclkid
/// (learn.microsoft.com/advertising/campaign-management-service/offlineconversion and the Bulk "Offline Conversion"
/// record): Conversion Currency Code, Conversion Name, Conversion Time, Conversion Value, Microsoft Click Id.
/// The API shape is the Campaign Management REST <c>ApplyOfflineConversions</c> request (OfflineConversions array,
/// ConversionTime in UTC); the file is the import template Microsoft shares with Google's (a
/// <c>Parameters:TimeZone=</c> row, then the header). Calls without an msclkid are not sent.
/// </summary>
public static class MicrosoftAdsConversions
{
    public const string DefaultEndpoint = "https://campaign.api.bingads.microsoft.com/CampaignManagement/v13/OfflineConversions/Apply";

    public static readonly IReadOnlyList<string> CsvColumns =
        ["Microsoft Click ID", "Conversion Name", "Conversion Time", "Conversion Value", "Conversion Currency"];

    public static void WriteCsv(TextWriter writer, string timeZone, IEnumerable<(ConversionAction Action, ConversionCall Call)> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        writer.Write("Parameters:TimeZone=" + timeZone + "\r\n");
        CsvWriter.WriteRecord(writer, [.. CsvColumns]);
        foreach (var (action, call) in rows)
        {
            if (call.Msclkid is not { } msclkid)
            {
                continue;
            }

            var value = action.ValueOf(call);
            CsvWriter.WriteRecord(
                writer,
                msclkid,
                action.ConversionName,
                ConversionJson.LocalTime(call.StartedAt, timeZone),
                value is { } v ? ConversionJson.Money(v) : null,
                value is null ? null : action.Currency);
        }
    }

    public static ConversionRequest Build(ConversionAction action, ConversionCall call)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(call);
        if (call.Msclkid is null)
        {
            return ConversionRequest.Rejected("no msclkid: the call did not come from a Microsoft Advertising click");
        }

        var body = ConversionJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("OfflineConversions");
            w.WriteStartObject();
            if (action.ValueOf(call) is { } value)
            {
                w.WriteString("ConversionCurrencyCode", action.Currency);
                w.WriteNumber("ConversionValue", value);
            }

            w.WriteString("ConversionName", action.ConversionName);
            w.WriteString("ConversionTime", call.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            w.WriteString("MicrosoftClickId", call.Msclkid);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return new(action.Setting("endpoint") ?? DefaultEndpoint, body, null);
    }
}
