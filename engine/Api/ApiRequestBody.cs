using System.Net.Http.Headers;
using System.Text.Json;

namespace CallTracking.Engine.Api;

/// <summary>
/// A JSON object request body, read by hand so that every failure is a problem response
/// naming what is wrong: 415 for another content type, 400 for bad JSON or a member of
/// the wrong type (with <c>errors</c>).
/// </summary>
internal sealed class ApiRequestBody
{
    private const int MaximumBytes = 1 << 20;

    private readonly Dictionary<string, JsonElement> _members;

    private ApiRequestBody(Dictionary<string, JsonElement> members) => _members = members;

    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public static async Task<(ApiRequestBody? Body, IResult? Problem)> ReadAsync(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType is "application/json" || (mediaType.MediaType?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ?? false)))
        {
            return (null, ApiProblems.UnsupportedMediaType("The request body must be JSON (Content-Type: application/json)."));
        }

        if (request.ContentLength > MaximumBytes)
        {
            return (null, TypedResults.Problem($"The request body is larger than {MaximumBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge));
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, ApiProblems.BadRequest("The request body must be a JSON object."));
            }

            var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                members[property.Name] = property.Value.Clone();
            }

            return (new ApiRequestBody(members), null);
        }
        catch (JsonException e)
        {
            return (null, ApiProblems.BadRequest($"The request body is not valid JSON: {e.Message}"));
        }
    }

    public bool Has(string name) => _members.ContainsKey(name);

    /// <summary>A string member; <paramref name="required"/> adds an error when it is missing, null or blank.</summary>
    public string? Text(string name, bool required)
    {
        if (!_members.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
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
        if (text.Length == 0)
        {
            Error(name, required ? "is required" : "must not be empty (use null to clear it)");
            return null;
        }

        return text;
    }

    public Guid? Id(string name)
    {
        if (!_members.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id))
        {
            return id;
        }

        Error(name, "must be an id (a UUID string) or null");
        return null;
    }

    public JsonElement? Object(string name, bool required)
    {
        if (!_members.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Error(name, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(name, "must be a JSON object");
            return null;
        }

        return value;
    }

    public bool? Bool(string name)
    {
        if (!_members.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Error(name, "must be true or false");
        return null;
    }

    public decimal? Decimal(string name)
    {
        if (!_members.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        Error(name, "must be a number");
        return null;
    }

    /// <summary>An array of strings; null when absent.</summary>
    public string[]? TextList(string name)
    {
        if (!_members.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            return [.. value.EnumerateArray().Select(e => e.GetString()!)];
        }

        Error(name, "must be an array of strings");
        return null;
    }

    public void Error(string name, string message)
    {
        Errors[name] = Errors.TryGetValue(name, out var existing) ? [.. existing, message] : [message];
    }

    /// <summary>An integer member within [<paramref name="minimum"/>, <paramref name="maximum"/>]; null when absent.</summary>
    public int? Integer(string name, int minimum, int maximum)
    {
        if (!_members.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= minimum && number <= maximum)
        {
            return number;
        }

        Error(name, $"must be an integer from {minimum} to {maximum}");
        return null;
    }

    /// <summary>An array of non-empty strings; an empty list when absent.</summary>
    public List<string> NonEmptyTextList(string name)
    {
        var items = new List<string>();
        if (!_members.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return items;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(name, "must be an array of strings");
            return items;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Trim().Length == 0)
            {
                Error(name, "must be an array of non-empty strings");
                return [];
            }

            items.Add(item.GetString()!.Trim());
        }

        return items;
    }
}
