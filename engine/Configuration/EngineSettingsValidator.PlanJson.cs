using System.Text;
using CallTracking.Engine.Sip.Trunks;
using Microsoft.Extensions.Configuration;

namespace CallTracking.Engine.Configuration;

public sealed partial class EngineSettingsValidator
{
    /// <summary>
    /// Validates a routing plan stored as JSON (a plan provisioned through the API or a provisioning file) exactly
    /// as a number's <c>Plan</c> section of the configuration is validated: same keys, same rules, same messages.
    /// Unknown keys are faults; a top-level <c>Name</c> (as a provisioning file writes it) is allowed.
    /// </summary>
    /// <param name="json">The plan object, e.g. <c>{"Forward":[{"To":"+15559870001","Trunk":"office"}]}</c>.</param>
    /// <param name="trunks">The configured trunks a forward target may name.</param>
    /// <param name="timeZone">The organisation's time zone, the default of business hours.</param>
    /// <param name="faults">Every problem found, with its key path under <c>Plan</c>.</param>
    /// <returns>The plan, or null when it has faults.</returns>
    public RoutingPlan? ValidatePlanJson(string json, IReadOnlyList<Trunk> trunks, TimeZoneInfo? timeZone, out IReadOnlyList<ConfigurationFault> faults)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(trunks);
        var found = new List<ConfigurationFault>();
        faults = found;
        IConfiguration configuration;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
            configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        }
        catch (FormatException e)
        {
            found.Add(new("Plan", "is not a JSON object: " + e.Message));
            return null;
        }
        catch (System.Text.Json.JsonException e)
        {
            found.Add(new("Plan", "is not a JSON object: " + e.Message));
            return null;
        }
        catch (InvalidDataException e)
        {
            found.Add(new("Plan", "is not a JSON object: " + e.Message));
            return null;
        }

        // Unknown keys (a misspelt "Foward", or a shape of some other product such as "Ring") would otherwise be
        // ignored and the number would only play its notice.
        var exclude = ConfigurationShape.CheckPlan(configuration, "Plan", found);
        var bindable = exclude.Count == 0 ? configuration : Without(configuration, exclude);
        var options = new RoutingPlanOptions();
        try
        {
            bindable.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            found.Add(new("Plan", e.Message));
            return null;
        }

        var plan = ValidatePlan("Plan", options, trunks, timeZone, allowHours: true, found);
        return found.Count > 0 ? null : plan;
    }
}
