using System.Text.Json.Serialization;

namespace CallTracking.Engine.Tracking.Dni;

/// <summary>The public endpoints' response JSON: snake_case like the REST API, nulls written.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DniAssignment))]
internal sealed partial class DniPublicJson : JsonSerializerContext;
