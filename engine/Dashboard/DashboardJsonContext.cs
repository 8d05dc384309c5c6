using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallTracking.Engine.Dashboard;

/// <summary>Source-generated JSON for the dashboard's own endpoints, snake_case like the REST API.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SessionResource))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
