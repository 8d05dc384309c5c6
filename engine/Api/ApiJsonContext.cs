using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallTracking.Engine.Api;

/// <summary>Source-generated JSON for every API response: snake_case member names, nulls written.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OrganisationResource))]
[JsonSerializable(typeof(ResourceList<OrganisationResource>))]
[JsonSerializable(typeof(CampaignResource))]
[JsonSerializable(typeof(ResourceList<CampaignResource>))]
[JsonSerializable(typeof(NumberResource))]
[JsonSerializable(typeof(ResourceList<NumberResource>))]
[JsonSerializable(typeof(PlanResource))]
[JsonSerializable(typeof(ResourceList<PlanResource>))]
[JsonSerializable(typeof(TrunkResource))]
[JsonSerializable(typeof(ResourceList<TrunkResource>))]
[JsonSerializable(typeof(CallResource))]
[JsonSerializable(typeof(CallPage))]
[JsonSerializable(typeof(ResourceList<CallEventResource>))]
[JsonSerializable(typeof(WebhookResource))]
[JsonSerializable(typeof(ResourceList<WebhookResource>))]
[JsonSerializable(typeof(DeliveryResource))]
[JsonSerializable(typeof(ResourceList<DeliveryResource>))]
[JsonSerializable(typeof(ResourceList<DeliveryCountResource>))]
[JsonSerializable(typeof(ConversionActionResource))]
[JsonSerializable(typeof(ResourceList<ConversionActionResource>))]
[JsonSerializable(typeof(DniSiteResource))]
[JsonSerializable(typeof(ResourceList<DniSiteResource>))]
[JsonSerializable(typeof(DniSourceResource))]
[JsonSerializable(typeof(ResourceList<DniSourceResource>))]
[JsonSerializable(typeof(DniPoolResource))]
[JsonSerializable(typeof(ResourceList<DniPoolResource>))]
[JsonSerializable(typeof(ResourceList<DniSessionResource>))]
[JsonSerializable(typeof(Tracking.Dni.PoolUtilisation))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
