namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>
/// What it takes to turn a country's national number into E.164: its country calling code (ITU-T E.164 assigned
/// codes), the national (trunk) prefix dialled before national numbers and dropped in international form, and the
/// lengths its national significant numbers (NSN) have.
/// </summary>
public sealed record DiallingPlan(string Region, string CountryCode, string? TrunkPrefix, int MinNsnLength, int MaxNsnLength)
{
    /// <summary>
    /// The countries whose national numbers the engine reads. A country missing here still works for callers whose
    /// carrier sends international form (+ or 00), which trunks normally do.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, DiallingPlan> Known = new Dictionary<string, DiallingPlan>(StringComparer.Ordinal)
    {
        // North American Numbering Plan: 10-digit NSN; "1" is both the country code and the long-distance prefix.
        ["US"] = new("US", "1", "1", 10, 10),
        ["CA"] = new("CA", "1", "1", 10, 10),
        ["GB"] = new("GB", "44", "0", 9, 10),
        ["IE"] = new("IE", "353", "0", 7, 9),
        ["DE"] = new("DE", "49", "0", 6, 13),
        ["FR"] = new("FR", "33", "0", 9, 9),
        ["NL"] = new("NL", "31", "0", 9, 9),
        ["BE"] = new("BE", "32", "0", 8, 9),
        // Spain and Italy have no trunk prefix: Italy's leading 0 belongs to the number and stays in E.164.
        ["ES"] = new("ES", "34", null, 9, 9),
        ["IT"] = new("IT", "39", null, 6, 11),
        ["AU"] = new("AU", "61", "0", 9, 9),
        ["NZ"] = new("NZ", "64", "0", 8, 10),
        ["ZA"] = new("ZA", "27", "0", 9, 9),
        ["IN"] = new("IN", "91", "0", 10, 10),
        ["JP"] = new("JP", "81", "0", 9, 10),
    };
}
