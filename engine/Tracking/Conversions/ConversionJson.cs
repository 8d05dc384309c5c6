using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>Helpers shared by the platform builders: compact JSON written field by field, and times in a zone.</summary>
internal static class ConversionJson
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void StringIfSet(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary><paramref name="utc"/> in the IANA zone <paramref name="timeZone"/> (UTC when the zone is unknown here).</summary>
    public static DateTimeOffset InZone(DateTimeOffset utc, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTime(utc, zone);
    }

    /// <summary>"yyyy-mm-dd hh:mm:ss+|-hh:mm" (Google Ads API ClickConversion.conversion_date_time).</summary>
    public static string GoogleDateTime(DateTimeOffset utc, string timeZone) =>
        InZone(utc, timeZone).ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Local wall-clock time for import files whose zone is given once in a <c>Parameters:TimeZone=</c> row.</summary>
    public static string LocalTime(DateTimeOffset utc, string timeZone) =>
        InZone(utc, timeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
