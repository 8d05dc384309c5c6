using System.Text.Encodings.Web;
using System.Text.Json;

namespace CallTracking.Engine.Privacy;

/// <summary>JSON for audit details and export archives: camelCase, indented, no escaping of '+' in numbers.</summary>
public static class PrivacyJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
