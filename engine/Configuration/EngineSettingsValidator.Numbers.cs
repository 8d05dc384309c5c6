using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Tracking;

namespace CallTracking.Engine.Configuration;

public sealed partial class EngineSettingsValidator
{
    private const int MinimumRingSeconds = 5;
    private const int MaximumRingSeconds = 120;
    private const int MaximumCallMinutes = 24 * 60;
    private const int MaximumVoicemailSeconds = 600;
    private const int MaximumWhisperLength = 500;

    private static List<OrganisationSettings> ValidateOrganisations(IList<OrganisationOptions> organisations, List<ConfigurationFault> faults)
    {
        var result = new List<OrganisationSettings>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < organisations.Count; i++)
        {
            var key = Key("Organisations", i);
            var name = organisations[i].Name?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                faults.Add(new(key + ":Name", "is empty; every organisation needs a name"));
                continue;
            }

            if (!seen.TryAdd(name, i))
            {
                faults.Add(new(key + ":Name", $"\"{name}\" duplicates {Key("Organisations", seen[name])}"));
                continue;
            }

            TimeZoneInfo? zone = null;
            var zoneId = EmptyAsNull(organisations[i].TimeZone);
            if (zoneId is not null && !TryFindTimeZone(zoneId, out zone))
            {
                faults.Add(new(key + ":TimeZone", $"\"{zoneId}\" is not a known time zone (use an IANA name such as Europe/London)"));
            }

            result.Add(new OrganisationSettings(name, EmptyAsNull(organisations[i].Parent), zone, IsImplicit: false));
        }

        // Parents must be listed, and following parents must never come back to where it started.
        for (var i = 0; i < result.Count; i++)
        {
            var parent = result[i].Parent;
            if (parent is null)
            {
                continue;
            }

            var key = Key("Organisations", organisations.IndexOf(organisations.First(o => string.Equals(o.Name?.Trim(), result[i].Name, StringComparison.OrdinalIgnoreCase)))) + ":Parent";
            if (!seen.ContainsKey(parent))
            {
                faults.Add(new(key, $"organisation \"{parent}\" is not defined (defined: {string.Join(", ", result.Select(o => o.Name))})"));
                continue;
            }

            var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { result[i].Name };
            for (var current = parent; current is not null; current = result.Find(o => string.Equals(o.Name, current, StringComparison.OrdinalIgnoreCase))?.Parent)
            {
                if (!visited.Add(current))
                {
                    faults.Add(new(key, $"\"{parent}\" makes a cycle of parents ({string.Join(" → ", visited)} → {current})"));
                    break;
                }
            }
        }

        return result;
    }

    private IReadOnlyList<TrackingNumber> ValidateNumbers(
        IList<TrackingNumberOptions> numbers,
        IReadOnlyList<Trunk> trunks,
        List<OrganisationSettings> organisations,
        List<ConfigurationFault> faults)
    {
        var result = new List<TrackingNumber>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < numbers.Count; i++)
        {
            var key = Key("Numbers", i);
            var options = numbers[i];
            var number = options.Number?.Trim();
            var organisationName = EmptyAsNull(options.Organisation);
            OrganisationSettings? organisation = null;
            if (organisationName is not null)
            {
                organisation = organisations.Find(o => string.Equals(o.Name, organisationName, StringComparison.OrdinalIgnoreCase));
                if (organisation is null)
                {
                    organisation = new OrganisationSettings(organisationName, null, null, IsImplicit: true);
                    organisations.Add(organisation);
                }
            }

            var plan = options.Plan is null
                ? RoutingPlan.Default
                : ValidatePlan(key + ":Plan", options.Plan, trunks, organisation?.TimeZone, allowHours: true, faults);

            if (!IsE164(number))
            {
                faults.Add(new(key + ":Number", $"\"{number}\" is not E.164 (expected + followed by 8 to 15 digits)"));
                continue;
            }

            if (!seen.TryAdd(number, i))
            {
                faults.Add(new(key + ":Number", $"\"{number}\" duplicates {Key("Numbers", seen[number])}"));
                continue;
            }

            var campaign = EmptyAsNull(options.Campaign);
            var name = EmptyAsNull(options.Name) ?? campaign ?? number;
            if (plan is not null)
            {
                result.Add(new TrackingNumber(number, name) { Organisation = organisation?.Name, Campaign = campaign, Plan = plan });
            }
        }

        return result.AsReadOnly();
    }

    private RoutingPlan? ValidatePlan(string key, RoutingPlanOptions plan, IReadOnlyList<Trunk> trunks, TimeZoneInfo? defaultZone, bool allowHours, List<ConfigurationFault> faults)
    {
        var before = faults.Count;
        var announcement = ValidateAnnouncement(key + ":Announcement", plan.Announcement, faults);

        var forward = new List<ForwardTarget>();
        for (var j = 0; j < plan.Forward.Count; j++)
        {
            if (ValidateForward(Key(key + ":Forward", j), plan.Forward[j], trunks, faults) is { } target)
            {
                forward.Add(target);
            }
        }

        var mode = ForwardMode.Sequential;
        if (string.Equals(plan.ForwardMode?.Trim(), "simultaneous", StringComparison.OrdinalIgnoreCase))
        {
            mode = ForwardMode.Simultaneous;
        }
        else if (!string.Equals(plan.ForwardMode?.Trim(), "sequential", StringComparison.OrdinalIgnoreCase))
        {
            faults.Add(new(key + ":ForwardMode", $"\"{plan.ForwardMode}\" is not a forward mode: use \"sequential\" or \"simultaneous\""));
        }

        var whisper = ValidateSpoken(key + ":Whisper", plan.Whisper, Prompt.None, faults);

        VoicemailSettings? voicemail = null;
        if (plan.Voicemail is { Enabled: true } vm)
        {
            var greeting = ValidateSpoken(key + ":Voicemail:Greeting", vm.Greeting, Prompt.Default, faults);
            if (vm.MaxSeconds is < 5 or > MaximumVoicemailSeconds)
            {
                faults.Add(new(key + ":Voicemail:MaxSeconds", Invariant($"{vm.MaxSeconds} is outside 5-{MaximumVoicemailSeconds}")));
            }

            voicemail = new VoicemailSettings(greeting ?? Prompt.Default, TimeSpan.FromSeconds(Math.Clamp(vm.MaxSeconds, 5, MaximumVoicemailSeconds)));
        }

        if (plan.MaxCallMinutes is < 1 or > MaximumCallMinutes)
        {
            faults.Add(new(key + ":MaxCallMinutes", Invariant($"{plan.MaxCallMinutes} is outside 1-{MaximumCallMinutes}")));
        }

        BusinessHours? hours = null;
        RoutingPlan? outside = null;
        if (plan.BusinessHours is { } bh)
        {
            var hoursKey = key + ":BusinessHours";
            if (!allowHours)
            {
                faults.Add(new(hoursKey, "an Outside plan cannot have business hours of its own"));
            }
            else
            {
                hours = ValidateHours(hoursKey, bh, defaultZone, faults);
                if (bh.Outside is not null)
                {
                    outside = ValidatePlan(hoursKey + ":Outside", bh.Outside, trunks, defaultZone, allowHours: false, faults);
                }
            }
        }

        if (faults.Count > before)
        {
            return null;
        }

        return new RoutingPlan(
            announcement!,
            forward.AsReadOnly(),
            mode,
            whisper!,
            voicemail,
            TimeSpan.FromMinutes(plan.MaxCallMinutes),
            hours,
            outside);
    }

    private static ForwardTarget? ValidateForward(string key, ForwardOptions forward, IReadOnlyList<Trunk> trunks, List<ConfigurationFault> faults)
    {
        var ok = true;
        var to = forward.To?.Trim();
        var isSip = false;
        if (string.IsNullOrEmpty(to))
        {
            faults.Add(new(key + ":To", "is empty; expected an E.164 number (+15559870001) or a SIP URI (sip:desk@pbx.example.com)"));
            ok = false;
        }
        else if (to.StartsWith("sip", StringComparison.OrdinalIgnoreCase) && to.Contains(':', StringComparison.Ordinal))
        {
            isSip = true;
            if (!TryParseSipUri(to, out _, out _, out var error))
            {
                faults.Add(new(key + ":To", $"\"{to}\" is not a SIP URI: {error}"));
                ok = false;
            }
        }
        else if (!IsE164(to))
        {
            faults.Add(new(key + ":To", $"\"{to}\" is neither E.164 (+ followed by 8 to 15 digits) nor a SIP URI"));
            ok = false;
        }

        Trunk? trunk = null;
        var trunkName = EmptyAsNull(forward.Trunk);
        var outbound = trunks.Where(t => t.Outbound is not null).Select(t => t.Name).ToList();
        if (trunkName is null)
        {
            if (ok && !isSip)
            {
                faults.Add(new(key + ":Trunk", $"is empty; an E.164 destination leaves through a trunk with Outbound (defined: {List(outbound)})"));
                ok = false;
            }
        }
        else
        {
            trunk = trunks.FirstOrDefault(t => string.Equals(t.Name, trunkName, StringComparison.OrdinalIgnoreCase));
            if (trunk is null)
            {
                faults.Add(new(key + ":Trunk", $"trunk \"{trunkName}\" is not defined (defined: {List(trunks.Select(t => t.Name))})"));
                ok = false;
            }
            else if (trunk.Outbound is null)
            {
                faults.Add(new(key + ":Trunk", $"trunk \"{trunk.Name}\" has no Outbound section (trunks with one: {List(outbound)})"));
                ok = false;
            }
        }

        if (forward.RingSeconds is < MinimumRingSeconds or > MaximumRingSeconds)
        {
            faults.Add(new(key + ":RingSeconds", Invariant($"{forward.RingSeconds} is outside {MinimumRingSeconds}-{MaximumRingSeconds}")));
            ok = false;
        }

        return ok ? new ForwardTarget(to!, isSip, trunk, TimeSpan.FromSeconds(forward.RingSeconds)) : null;
    }

    private static BusinessHours? ValidateHours(string key, BusinessHoursOptions options, TimeZoneInfo? defaultZone, List<ConfigurationFault> faults)
    {
        var zoneId = EmptyAsNull(options.TimeZone);
        var zone = defaultZone;
        if (zoneId is null)
        {
            if (zone is null)
            {
                faults.Add(new(key + ":TimeZone", "is empty and the number's organisation names none; use an IANA name such as America/New_York"));
                return null;
            }
        }
        else if (!TryFindTimeZone(zoneId, out zone))
        {
            faults.Add(new(key + ":TimeZone", $"\"{zoneId}\" is not a known time zone (use an IANA name such as America/New_York)"));
            return null;
        }

        if (options.Schedule.Count == 0)
        {
            faults.Add(new(key + ":Schedule", "is empty; name the open days, e.g. \"mon\": \"08:00-18:00\""));
            return null;
        }

        if (!BusinessHours.TryCreate(zone!, options.Schedule, out var hours, out var errorKey, out var error))
        {
            faults.Add(new($"{key}:Schedule:{errorKey}", error!));
            return null;
        }

        return hours;
    }

    private Prompt? ValidateAnnouncement(string key, string? value, List<ConfigurationFault> faults)
    {
        var text = EmptyAsNull(value) ?? "default";
        if (string.Equals(text, "default", StringComparison.OrdinalIgnoreCase))
        {
            return Prompt.Default;
        }

        if (string.Equals(text, "none", StringComparison.OrdinalIgnoreCase))
        {
            return Prompt.None;
        }

        if (IsWavPath(text))
        {
            return ValidateWav(key, text, faults);
        }

        faults.Add(new(key, $"\"{text}\" is not \"default\", \"none\" or the path of a .wav file"));
        return null;
    }

    /// <summary>Text to speak, or a WAV path; <paramref name="empty"/> when nothing is configured.</summary>
    private Prompt? ValidateSpoken(string key, string? value, Prompt empty, List<ConfigurationFault> faults)
    {
        var text = EmptyAsNull(value);
        if (text is null)
        {
            return empty;
        }

        if (IsWavPath(text))
        {
            return ValidateWav(key, text, faults);
        }

        if (text.Any(char.IsControl) || text.Length > MaximumWhisperLength)
        {
            faults.Add(new(key, Invariant($"text must be at most {MaximumWhisperLength} characters without control characters")));
            return null;
        }

        return new Prompt(PromptKind.Text, text);
    }

    private Prompt? ValidateWav(string key, string path, List<ConfigurationFault> faults)
    {
        if (path.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            faults.Add(new(key, $"\"{path}\" contains characters not allowed in a path"));
            return null;
        }

        var full = Path.GetFullPath(path, _workingDirectory);
        if (!File.Exists(full))
        {
            faults.Add(new(key, $"\"{path}\": file not found ({full})"));
            return null;
        }

        return new Prompt(PromptKind.File, full);
    }

    private static bool IsWavPath(string text) => text.EndsWith(".wav", StringComparison.OrdinalIgnoreCase);

    private static bool TryFindTimeZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = null!;
            return false;
        }
    }

    private static string List(IEnumerable<string> names)
    {
        var text = string.Join(", ", names);
        return text.Length == 0 ? "none" : text;
    }
}
