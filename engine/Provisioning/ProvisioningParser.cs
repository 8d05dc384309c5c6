using System.Globalization;
using System.Text.Json;

namespace CallTracking.Engine.Provisioning;

/// <summary>
/// Reads a provisioning file into a <see cref="ProvisioningDocument"/>, collecting every
/// structural error with its JSON path so an operator fixes a file in one pass. Property
/// names match case-insensitively (as in the engine's configuration); unknown properties
/// of organisations, campaigns and numbers are errors, because a misspelt key would
/// otherwise be silently ignored. Plans and trunks are stored as written: only their
/// <c>Name</c> is read here.
/// </summary>
public static class ProvisioningParser
{
    private static readonly string[] RootKeys = ["Organisations", "Trunks"];
    private static readonly string[] OrganisationKeys = ["Name", "Parent", "TimeZone", "Plans", "Campaigns", "Numbers"];
    private static readonly string[] CampaignKeys = ["Name", "Plan"];
    private static readonly string[] NumberKeys = ["Number", "Campaign", "Plan", "Name"];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    public static bool TryParse(string json, out ProvisioningDocument? document, out IReadOnlyList<ProvisioningError> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        document = null;
        var found = new List<ProvisioningError>();
        errors = found;
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            found.Add(new("$", "not valid JSON" + where));
            return false;
        }

        using (parsed)
        {
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                found.Add(new("$", "expected an object with Organisations and Trunks"));
                return false;
            }

            CheckKeys(root, "$", RootKeys, found);
            var organisations = new List<OrganisationSpec>();
            foreach (var (item, path) in Items(root, "$", "Organisations", found))
            {
                if (ReadOrganisation(item, path, found) is { } organisation)
                {
                    organisations.Add(organisation);
                }
            }

            var trunks = new List<TrunkSpec>();
            foreach (var (item, path) in Items(root, "$", "Trunks", found))
            {
                if (RequireObject(item, path, found) && RequiredText(item, path, "Name", found) is { } name)
                {
                    trunks.Add(new TrunkSpec(path, name, OptionalText(item, path, "Organisation", found), item.GetRawText()));
                }
            }

            Unique(organisations.Select(o => (o.Path, o.Name)), "organisation", StringComparer.Ordinal, found);
            Unique(trunks.Select(t => (t.Path, t.Name)), "trunk", StringComparer.Ordinal, found);
            Unique(organisations.SelectMany(o => o.Numbers).Select(n => (n.Path, n.Number)), "number", StringComparer.Ordinal, found);
            if (found.Count > 0)
            {
                return false;
            }

            document = new ProvisioningDocument(organisations, trunks);
            return true;
        }
    }

    private static OrganisationSpec? ReadOrganisation(JsonElement item, string path, List<ProvisioningError> errors)
    {
        if (!RequireObject(item, path, errors))
        {
            return null;
        }

        CheckKeys(item, path, OrganisationKeys, errors);
        var name = RequiredText(item, path, "Name", errors);
        var parent = OptionalText(item, path, "Parent", errors);
        var timeZone = OptionalText(item, path, "TimeZone", errors);
        if (timeZone is not null && !IsTimeZone(timeZone))
        {
            errors.Add(new($"{path}.TimeZone", $"\"{timeZone}\" is not a known IANA time zone (e.g. America/New_York, Europe/London, UTC)"));
        }

        if (name is not null && parent == name)
        {
            errors.Add(new($"{path}.Parent", "an organisation cannot be its own parent"));
        }

        var plans = new List<PlanSpec>();
        foreach (var (plan, planPath) in Items(item, path, "Plans", errors))
        {
            if (RequireObject(plan, planPath, errors) && RequiredText(plan, planPath, "Name", errors) is { } planName)
            {
                plans.Add(new PlanSpec(planPath, planName, plan.GetRawText()));
            }
        }

        var campaigns = new List<CampaignSpec>();
        foreach (var (campaign, campaignPath) in Items(item, path, "Campaigns", errors))
        {
            if (!RequireObject(campaign, campaignPath, errors))
            {
                continue;
            }

            CheckKeys(campaign, campaignPath, CampaignKeys, errors);
            if (RequiredText(campaign, campaignPath, "Name", errors) is { } campaignName)
            {
                campaigns.Add(new CampaignSpec(campaignPath, campaignName, OptionalText(campaign, campaignPath, "Plan", errors)));
            }
        }

        var numbers = new List<NumberSpec>();
        foreach (var (number, numberPath) in Items(item, path, "Numbers", errors))
        {
            if (!RequireObject(number, numberPath, errors))
            {
                continue;
            }

            CheckKeys(number, numberPath, NumberKeys, errors);
            var e164 = RequiredText(number, numberPath, "Number", errors);
            if (e164 is not null && !IsE164(e164))
            {
                errors.Add(new($"{numberPath}.Number", $"\"{e164}\" is not an E.164 number (+ and 7 to 15 digits, e.g. +15551230001)"));
                e164 = null;
            }

            var campaign = OptionalText(number, numberPath, "Campaign", errors);
            var plan = OptionalText(number, numberPath, "Plan", errors);
            var label = OptionalText(number, numberPath, "Name", errors);
            if (e164 is not null)
            {
                numbers.Add(new NumberSpec(numberPath, e164, campaign, plan, label));
            }
        }

        Unique(plans.Select(p => (p.Path, p.Name)), "plan", StringComparer.Ordinal, errors);
        Unique(campaigns.Select(c => (c.Path, c.Name)), "campaign", StringComparer.Ordinal, errors);
        return name is null ? null : new OrganisationSpec(path, name, parent, timeZone, plans, campaigns, numbers);
    }

    /// <summary>The items of an optional array property, each with its JSON path.</summary>
    private static IEnumerable<(JsonElement Item, string Path)> Items(JsonElement parent, string path, string name, List<ProvisioningError> errors)
    {
        if (!TryGet(parent, name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new($"{path}.{name}", "expected a list"));
            yield break;
        }

        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            yield return (item, string.Create(CultureInfo.InvariantCulture, $"{path}.{name}[{i}]"));
            i++;
        }
    }

    private static bool RequireObject(JsonElement item, string path, List<ProvisioningError> errors)
    {
        if (item.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        errors.Add(new(path, "expected an object"));
        return false;
    }

    private static string? RequiredText(JsonElement item, string path, string name, List<ProvisioningError> errors)
    {
        if (!TryGet(item, name, out _))
        {
            errors.Add(new($"{path}.{name}", "is required"));
            return null;
        }

        return OptionalText(item, path, name, errors);
    }

    private static string? OptionalText(JsonElement item, string path, string name, List<ProvisioningError> errors)
    {
        if (!TryGet(item, name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new($"{path}.{name}", "expected a string"));
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length == 0)
        {
            errors.Add(new($"{path}.{name}", "must not be empty"));
            return null;
        }

        return text;
    }

    private static bool TryGet(JsonElement item, string name, out JsonElement value)
    {
        foreach (var property in item.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static void CheckKeys(JsonElement item, string path, string[] known, List<ProvisioningError> errors)
    {
        foreach (var property in item.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new($"{path}.{property.Name}", $"unknown property (expected one of {string.Join(", ", known)})"));
            }
        }
    }

    private static void Unique(IEnumerable<(string Path, string Name)> items, string kind, StringComparer comparer, List<ProvisioningError> errors)
    {
        var seen = new HashSet<string>(comparer);
        foreach (var (path, name) in items)
        {
            if (!seen.Add(name))
            {
                errors.Add(new(path, $"{kind} \"{name}\" is listed twice"));
            }
        }
    }

    internal static bool IsE164(string number)
    {
        // ITU-T E.164 §6: at most 15 digits; the country code does not start with 0. Seven digits
        // at least, as the tracking_numbers table checks.
        if (number.Length is < 8 or > 16 || number[0] != '+' || number[1] == '0')
        {
            return false;
        }

        foreach (var c in number.AsSpan(1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsTimeZone(string id) =>
        id is "UTC" || (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId);
}
