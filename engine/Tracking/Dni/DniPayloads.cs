using System.Text.Json.Serialization;

namespace CallTracking.Engine.Tracking.Dni;

// The JSON of DNI's event payloads (camelCase, nulls left out, like Storage/EventPayloads.cs) and of a session's
// first_touch column.
internal sealed record PoolExhaustedPayload(
    Guid PoolId,
    string Pool,
    Guid SiteId,
    Guid SessionId,
    int Numbers,
    int Leased,
    int CoolingDown,
    double Utilisation,
    string? FallbackNumber);

internal sealed record CallAttributedPayload(
    Guid CallId,
    string Confidence,
    Guid? SessionId,
    string? VisitorId,
    string? SourceName,
    string? UtmSource,
    string? UtmMedium,
    string? UtmCampaign,
    string? UtmTerm,
    string? UtmContent,
    string? LandingPage,
    string? Referrer,
    string? Gclid,
    string? Gbraid,
    string? Wbraid,
    string? Msclkid,
    string? Fbclid,
    string? GaClientId,
    string? GaSessionId);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PoolExhaustedPayload))]
[JsonSerializable(typeof(CallAttributedPayload))]
[JsonSerializable(typeof(VisitorTouch))]
internal sealed partial class DniJsonContext : JsonSerializerContext;
