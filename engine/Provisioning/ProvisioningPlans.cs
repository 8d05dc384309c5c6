using System.Globalization;
using System.Text;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Sip.Trunks;

namespace CallTracking.Engine.Provisioning;

/// <summary>
/// Checks stored routing plans the way call control reads them
/// (<see cref="EngineSettingsValidator.ValidatePlanJson"/>), so a plan call control would refuse or
/// half-ignore is never stored: every fault becomes an error at the plan's JSON path.
/// </summary>
public static class ProvisioningPlans
{
    /// <summary>What relative WAV paths in a plan are resolved against, as call control resolves them.</summary>
    public static EngineSettingsValidator Validator { get; } = new(AppContext.BaseDirectory);

    /// <summary>Every fault of every plan in <paramref name="document"/>, e.g. <c>$.Organisations[0].Plans[0].Forward[0].Trunk: trunk "offce" is not defined …</c>.</summary>
    /// <param name="document">The parsed file.</param>
    /// <param name="trunks">The engine's configured trunks, the ones a forward target may name.</param>
    /// <param name="storedZones">
    /// The time zones organisations already have, by name: the default of business hours when the file names none
    /// (as applying it keeps that zone); an organisation in neither is new and starts in UTC.
    /// </param>
    public static IReadOnlyList<ProvisioningError> Validate(ProvisioningDocument document, IReadOnlyList<Trunk> trunks, IReadOnlyDictionary<string, string>? storedZones = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(trunks);
        var errors = new List<ProvisioningError>();
        foreach (var organisation in document.Organisations)
        {
            var zoneId = organisation.TimeZone ?? storedZones?.GetValueOrDefault(organisation.Name) ?? "UTC";
            TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone);
            foreach (var plan in organisation.Plans)
            {
                Validator.ValidatePlanJson(plan.DefinitionJson, trunks, zone, out var faults);
                errors.AddRange(faults.Select(f => new ProvisioningError(MemberPath(plan.Path, f.Key), f.Message)));
            }
        }

        return errors;
    }

    /// <summary>
    /// A plan fault's key (<c>Plan:Forward:0:Trunk</c>) as a JSON path under <paramref name="root"/>
    /// (<c>root.Forward[0].Trunk</c>); the key <c>Plan</c> itself is <paramref name="root"/>.
    /// </summary>
    public static string MemberPath(string root, string faultKey)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(faultKey);
        var path = new StringBuilder(root);
        var segments = faultKey.Split(':');
        var first = string.Equals(segments[0], "Plan", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        for (var i = first; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                path.Append('[').Append(segment).Append(']');
            }
            else
            {
                if (path.Length > 0)
                {
                    path.Append('.');
                }

                path.Append(segment);
            }
        }

        return path.ToString();
    }
}
