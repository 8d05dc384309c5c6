using System.Text.Json;
using System.Text.RegularExpressions;

namespace CallTracking.Engine.Tracking.Dni;

/// <summary>
/// A public DNI request body, validated member by member: what is wrong goes into <see cref="Errors"/> (member →
/// messages, for a 400 problem) and never into an exception. Bodies are small JSON objects; any content type is
/// read as JSON, because the script sends <c>text/plain</c> to stay a CORS simple request (Fetch §3.2.3).
/// </summary>
public sealed partial class DniRequest
{
    public const int MaximumBytes = 8 * 1024;

    private const int MaximumUrl = 2048;

    private const int MaximumText = 512;

    private readonly Dictionary<string, JsonElement> _members;

    private DniRequest(Dictionary<string, JsonElement> members) => _members = members;

    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads the body; null with <paramref name="problem"/> set (<c>too_large</c>, <c>bad_json</c>) when it is not a JSON object of at most <see cref="MaximumBytes"/>.</summary>
    public static async Task<(DniRequest? Request, string? Problem)> ReadAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaximumBytes)
        {
            return (null, "too_large");
        }

        var buffer = new byte[MaximumBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        if (length > MaximumBytes)
        {
            return (null, "too_large");
        }

        if (length == 0)
        {
            return (new DniRequest(new Dictionary<string, JsonElement>(StringComparer.Ordinal)), null);
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "bad_json");
            }

            var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                members[property.Name] = property.Value.Clone();
            }

            return (new DniRequest(members), null);
        }
        catch (JsonException)
        {
            return (null, "bad_json");
        }
    }

    /// <summary>The first-party visitor id: 8 to 64 of <c>A-Z a-z 0-9 _ . -</c>.</summary>
    public string? VisitorId(bool required)
    {
        var text = Text("visitor_id", 64, required);
        if (text is not null && !VisitorIdSyntax().IsMatch(text))
        {
            Error("visitor_id", "must be 8 to 64 letters, digits, '_', '.' or '-'");
            return null;
        }

        return text;
    }

    public Guid? SessionId()
    {
        var text = Text("session_id", 64, required: false);
        if (text is null)
        {
            return null;
        }

        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        Error("session_id", "must be a session id (a UUID) or absent");
        return null;
    }

    /// <summary>The page view's values; <c>landing_page</c> is required, UTMs and click ids missing from the body are read from it.</summary>
    public VisitorTouch Touch(string? userAgentHeader) => new VisitorTouch
    {
        LandingPage = Url("landing_page", required: true),
        Referrer = Url("referrer", required: false),
        UtmSource = Text("utm_source", MaximumText, false),
        UtmMedium = Text("utm_medium", MaximumText, false),
        UtmCampaign = Text("utm_campaign", MaximumText, false),
        UtmTerm = Text("utm_term", MaximumText, false),
        UtmContent = Text("utm_content", MaximumText, false),
        Gclid = Text("gclid", MaximumText, false),
        Gbraid = Text("gbraid", MaximumText, false),
        Wbraid = Text("wbraid", MaximumText, false),
        Msclkid = Text("msclkid", MaximumText, false),
        Fbclid = Text("fbclid", MaximumText, false),
        GaClientId = Text("ga_client_id", 128, false),
        GaSessionId = Text("ga_session_id", 128, false),
        UserAgent = Text("user_agent", MaximumText, false) ?? Truncate(userAgentHeader),
    }.WithLandingParameters();

    /// <summary>An optional text member of at most <paramref name="maximum"/> characters (empty means absent).</summary>
    public string? Text(string name, int maximum, bool required)
    {
        if (!_members.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null
            || (value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length == 0))
        {
            if (required)
            {
                Error(name, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(name, "must be a string");
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length > maximum)
        {
            Error(name, $"must be at most {maximum} characters");
            return null;
        }

        return text;
    }

    private string? Url(string name, bool required)
    {
        var text = Text(name, MaximumUrl, required);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            Error(name, "must be an absolute http or https URL");
            return null;
        }

        return text;
    }

    private void Error(string name, string message) =>
        Errors[name] = Errors.TryGetValue(name, out var existing) ? [.. existing, message] : [message];

    private static string? Truncate(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length <= MaximumText ? text : text[..MaximumText];

    [GeneratedRegex("^[A-Za-z0-9_.-]{8,64}$")]
    private static partial Regex VisitorIdSyntax();
}
