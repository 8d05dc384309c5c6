using System.Text.Json;
using CallTracking.Engine.Outbound;

namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>
/// Per platform: the request body for a call (<see cref="Build"/>), the credentials added when it is sent
/// (<see cref="Authorize"/>) and what the platform's answer means (<see cref="Classify"/>). Settings keys:
/// <list type="bullet">
/// <item>google_ads: <c>endpoint</c> (default the v20 uploadClickConversions URL, <c>{customer_id}</c> filled in),
/// <c>customer_id</c>, <c>access_token</c> (OAuth bearer), <c>developer_token</c>, <c>login_customer_id</c>.</item>
/// <item>ga4: <c>endpoint</c>, <c>measurement_id</c>, <c>api_secret</c> (query parameters).</item>
/// <item>meta: <c>endpoint</c> (<c>{pixel_id}</c> filled in), <c>pixel_id</c>, <c>access_token</c> (query), <c>test_event_code</c>.</item>
/// <item>microsoft_ads: <c>endpoint</c>, <c>authentication_token</c>, <c>developer_token</c>, <c>customer_id</c>, <c>account_id</c> (headers).</item>
/// </list>
/// </summary>
public static class ConversionRequests
{
    public static ConversionRequest Build(ConversionAction action, ConversionCall call)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.Platform switch
        {
            ConversionPlatform.GoogleAds => GoogleAdsConversions.BuildUpload(action, call),
            ConversionPlatform.Ga4 => Ga4Conversions.Build(action, call),
            ConversionPlatform.Meta => MetaConversions.Build(action, call),
            ConversionPlatform.MicrosoftAds => MicrosoftAdsConversions.Build(action, call),
            _ => ConversionRequest.Rejected($"unknown platform {action.Platform}"),
        };
    }

    /// <summary>Reads a <c>settings</c> JSON object into string pairs (numbers and booleans as their text).</summary>
    public static Dictionary<string, string> ParseSettings(string? json)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return settings;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            settings[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return settings;
    }

    /// <summary>Adds the platform's credentials from <paramref name="settings"/> to <paramref name="request"/>.</summary>
    public static void Authorize(HttpRequestMessage request, string platform, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        string? Get(string key) => settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
        switch (platform)
        {
            case ConversionPlatform.GoogleAds:
                if (Get("access_token") is { } bearer)
                {
                    request.Headers.Authorization = new("Bearer", bearer);
                }

                Header(request, "developer-token", Get("developer_token"));
                Header(request, "login-customer-id", Get("login_customer_id"));
                break;
            case ConversionPlatform.Ga4:
                request.RequestUri = WithQuery(request.RequestUri!, ("measurement_id", Get("measurement_id")), ("api_secret", Get("api_secret")));
                break;
            case ConversionPlatform.Meta:
                request.RequestUri = WithQuery(request.RequestUri!, ("access_token", Get("access_token")));
                break;
            case ConversionPlatform.MicrosoftAds:
                Header(request, "AuthenticationToken", Get("authentication_token"));
                Header(request, "DeveloperToken", Get("developer_token"));
                Header(request, "CustomerId", Get("customer_id"));
                Header(request, "CustomerAccountId", Get("account_id"));
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// What a platform's answer means. A 2xx from Google Ads or Microsoft Advertising can still carry a per-row
    /// error (Google's <c>partialFailureError</c> with partial_failure set; Microsoft's <c>PartialErrors</c>): that is a
    /// rejection with the platform's message. Meta reports errors with 4xx and <c>error.message</c>. GA4's collect
    /// endpoint answers 2xx without validating, so it is <c>sent</c>, never <c>accepted</c>.
    /// </summary>
    public static DeliveryOutcome Classify(string platform, int statusCode, string? body)
    {
        var outcome = DeliveryOutcome.FromStatus(statusCode, Excerpt(RemoteMessage(body) ?? body));
        if (outcome.Kind != OutcomeKind.Sent)
        {
            return outcome;
        }

        if (platform == ConversionPlatform.Ga4)
        {
            return DeliveryOutcome.Sent();
        }

        var partial = PartialError(platform, body);
        return partial is null ? DeliveryOutcome.Accepted() : DeliveryOutcome.Rejected(Excerpt(partial)!);
    }

    public static string? Excerpt(string? text, int length = 500) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length <= length ? text.Trim() : text[..length].Trim() + "…";

    private static void Header(HttpRequestMessage request, string name, string? value)
    {
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private static Uri WithQuery(Uri uri, params (string Name, string? Value)[] parameters)
    {
        var builder = new UriBuilder(uri);
        var query = builder.Query.TrimStart('?');
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
            {
                query += (query.Length == 0 ? string.Empty : "&") + name + "=" + Uri.EscapeDataString(value);
            }
        }

        builder.Query = query;
        return builder.Uri;
    }

    private static string? PartialError(string platform, string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (platform == ConversionPlatform.GoogleAds
                && (root.TryGetProperty("partialFailureError", out var failure) || root.TryGetProperty("partial_failure_error", out failure))
                && failure.ValueKind == JsonValueKind.Object)
            {
                return failure.TryGetProperty("message", out var message) ? message.GetString() : failure.GetRawText();
            }

            if (platform == ConversionPlatform.MicrosoftAds
                && root.TryGetProperty("PartialErrors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                return first.ValueKind == JsonValueKind.Object && first.TryGetProperty("Message", out var message) ? message.GetString() : first.GetRawText();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the 2xx stands.
        }

        return null;
    }

    /// <summary>The human message in a JSON error body (<c>error.message</c>, Google's and Meta's shape), if any.</summary>
    private static string? RemoteMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String
                ? message.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
