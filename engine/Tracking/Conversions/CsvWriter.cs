namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>RFC 4180 records: fields joined by commas, CRLF line ends, a field quoted when it holds a comma, quote or line break.</summary>
internal static class CsvWriter
{
    public static void WriteRecord(TextWriter writer, params string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            var field = fields[i] ?? string.Empty;
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                // RFC 4180 §2.7: a quote inside a quoted field is doubled.
                writer.Write('"');
                writer.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
                writer.Write('"');
            }
            else
            {
                writer.Write(field);
            }
        }

        writer.Write("\r\n");
    }
}
