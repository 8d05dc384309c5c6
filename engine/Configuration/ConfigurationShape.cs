using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace CallTracking.Engine.Configuration;

/// <summary>
/// Checks the raw keys of the sections this engine owns before binding: unknown keys
/// (a misspelt <c>Sip:Timers:T1</c> would otherwise silently fall back to its default),
/// values that are not whole numbers, lists written as single values. The binder stops
/// at the first bad value; this reports every one and says which keys to leave out of
/// the binding so the rest can still be validated.
/// </summary>
internal static class ConfigurationShape
{
    private static readonly Node Text = new ScalarNode(IsInteger: false);
    private static readonly Node Integer = new ScalarNode(IsInteger: true);

    // Sections other owners add (Logging, Kestrel, Storage, …) are not checked here.
    private static readonly SectionNode Root = Section(
        ("Sip", Section(
            ("Listen", new ListNode(Text)),
            ("PublicAddress", Text),
            ("Timers", Section(("T1Ms", Integer), ("T2Ms", Integer), ("T4Ms", Integer))),
            ("SessionExpiresSeconds", Integer),
            ("MinSESeconds", Integer),
            ("UserAgent", Text),
            ("AnswerDelayMs", Integer))),
        ("Media", Section(("Address", Text), ("PortRange", Text), ("InactivitySeconds", Integer), ("Latching", Text), ("Workers", Integer), ("WorkerNice", Integer), ("Record", Text))),
        ("Trunks", new ListNode(Section(
            ("Name", Text),
            ("Preset", Text),
            ("Allow", new ListNode(Text)),
            ("Inbound", Section(("Username", Text), ("Password", Text), ("Realm", Text))),
            ("Outbound", Section(
                ("Uri", Text),
                ("Username", Text),
                ("Password", Text),
                ("Transport", Text),
                ("CallerId", Text),
                ("TrackingNumberHeader", Text),
                ("OptionsIntervalSeconds", Integer)))))),
        ("Numbers", new ListNode(Section(
            ("Number", Text),
            ("Name", Text),
            ("Organisation", Text),
            ("Campaign", Text),
            ("Plan", Plan(Section(
                ("TimeZone", Text),
                ("Schedule", Section([.. BusinessHours.Days.Select(d => (d, Text))])),
                ("Outside", Plan(null)))))))),
        ("Organisations", new ListNode(Section(("Name", Text), ("Parent", Text), ("TimeZone", Text)))),
        ("Data", Section(("Path", Text))),
        ("Database", Section(("ConnectionString", Text), ("ServerBinaries", Text))),
        ("Grpc", Section(("Listen", Text), ("Certificate", Section(("Path", Text), ("KeyPath", Text), ("Password", Text))))),
        ("Events", Section(("SubscriberQueue", Integer))));

    // A plan stored as JSON: a number's Plan, plus the Name a provisioning file gives it.
    private static readonly SectionNode StoredPlan = StoredPlanShape();

    /// <summary>
    /// Checks a routing plan stored as JSON (its keys at the root of <paramref name="configuration"/>) as a
    /// number's <c>Plan</c> is checked; faults are reported under <paramref name="prefix"/> (<c>Plan:Ring</c>).
    /// </summary>
    public static HashSet<string> CheckPlan(IConfiguration configuration, string prefix, List<ConfigurationFault> faults)
    {
        var exclude = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var found = new List<ConfigurationFault>();
        foreach (var child in configuration.GetChildren())
        {
            if (StoredPlan.Children.TryGetValue(child.Key, out var node))
            {
                Check(child, node, found, exclude);
            }
            else
            {
                Fault(child, $"unknown key (expected one of {StoredPlan.Names})", found, exclude);
            }
        }

        faults.AddRange(found.Select(f => f with { Key = prefix + ":" + f.Key }));
        return exclude;
    }

    /// <summary>Adds a fault per shape problem and returns the keys (with their children) to leave out of binding.</summary>
    public static HashSet<string> Check(IConfiguration configuration, List<ConfigurationFault> faults)
    {
        var exclude = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, node) in Root.Children)
        {
            var section = configuration.GetSection(name);
            Check(section, node, faults, exclude);
        }

        return exclude;
    }

    private static void Check(IConfigurationSection section, Node node, List<ConfigurationFault> faults, HashSet<string> exclude)
    {
        var children = section.GetChildren().ToList();
        switch (node)
        {
            case ScalarNode scalar:
                if (children.Count > 0)
                {
                    Fault(section, "expected a single value, found a section", faults, exclude);
                }
                else if (scalar.IsInteger && !string.IsNullOrEmpty(section.Value)
                    && !int.TryParse(section.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                {
                    Fault(section, $"\"{section.Value}\" is not a whole number", faults, exclude);
                }

                break;

            case SectionNode sectionNode:
                if (children.Count == 0 && !string.IsNullOrEmpty(section.Value))
                {
                    Fault(section, $"expected a section with {sectionNode.Names}, found a single value", faults, exclude);
                    break;
                }

                foreach (var child in children)
                {
                    if (sectionNode.Children.TryGetValue(child.Key, out var childNode))
                    {
                        Check(child, childNode, faults, exclude);
                    }
                    else
                    {
                        Fault(child, $"unknown key (expected one of {sectionNode.Names})", faults, exclude);
                    }
                }

                break;

            case ScalarOrSectionNode either:
                if (children.Count == 0)
                {
                    if (!string.IsNullOrEmpty(section.Value) && !bool.TryParse(section.Value, out _))
                    {
                        Fault(section, $"\"{section.Value}\" is neither true, false nor a section with {either.Section.Names}", faults, exclude);
                    }
                }
                else
                {
                    Check(section, either.Section, faults, exclude);
                }

                break;

            case ListNode list:
                if (children.Count == 0 && !string.IsNullOrEmpty(section.Value))
                {
                    Fault(section, "expected a list, found a single value", faults, exclude);
                    break;
                }

                foreach (var child in children)
                {
                    if (int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    {
                        Check(child, list.Item, faults, exclude);
                    }
                    else
                    {
                        Fault(child, "is not a list index (list keys are 0, 1, 2, …)", faults, exclude);
                    }
                }

                break;
        }
    }

    private static void Fault(IConfigurationSection section, string message, List<ConfigurationFault> faults, HashSet<string> exclude)
    {
        faults.Add(new ConfigurationFault(section.Path, message));
        exclude.Add(section.Path);
    }

    /// <summary>A routing plan; <paramref name="businessHours"/> is null for the Outside plan, which may not nest hours.</summary>
    private static SectionNode Plan(SectionNode? businessHours)
    {
        var children = new List<(string, Node)>
        {
            ("Announcement", Text),
            ("Forward", new ListNode(Section(("To", Text), ("Trunk", Text), ("RingSeconds", Integer)))),
            ("ForwardMode", Text),
            ("Whisper", Text),
            ("Voicemail", new ScalarOrSectionNode(Section(("Enabled", Text), ("Greeting", Text), ("MaxSeconds", Integer)))),
            ("MaxCallMinutes", Integer),
        };
        if (businessHours is not null)
        {
            children.Add(("BusinessHours", businessHours));
        }

        return Section([.. children]);
    }

    private static SectionNode StoredPlanShape()
    {
        var plan = Plan(Section(
            ("TimeZone", Text),
            ("Schedule", Section([.. BusinessHours.Days.Select(d => (d, Text))])),
            ("Outside", Plan(null))));
        return Section([.. plan.Children.Select(c => (c.Key, c.Value)), ("Name", Text)]);
    }

    private static SectionNode Section(params (string Name, Node Node)[] children) =>
        new(
            children.ToFrozenDictionary(c => c.Name, c => c.Node, StringComparer.OrdinalIgnoreCase),
            string.Join(", ", children.Select(c => c.Name)));

    private abstract record Node;

    private sealed record ScalarNode(bool IsInteger) : Node;

    private sealed record SectionNode(FrozenDictionary<string, Node> Children, string Names) : Node;

    private sealed record ListNode(Node Item) : Node;

    /// <summary>A value that is either a boolean (<c>"Voicemail": true</c>) or a section.</summary>
    private sealed record ScalarOrSectionNode(SectionNode Section) : Node;
}
