using System.Collections.Frozen;
using System.Reflection;

namespace CallTracking.Engine.Tracking.Geo;

/// <summary>
/// Locates a caller by the prefix of their E.164 number: the ITU country calling code by longest prefix
/// (shared codes such as +7 and +44 are split where a longer prefix tells), then, inside the North American
/// Numbering Plan (+1), the area code, which names a US state, a Canadian province or another NANP country.
/// This is where the number was issued, not where the phone is: mobiles travel and numbers are ported.
/// The tables ship inside the assembly (Tracking/Geo/*.csv) and are read once; lookups are thread-safe.
/// </summary>
public static class CallerGeography
{
    private static readonly Lazy<Tables> Data = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Longest country prefix, in digits.</summary>
    private const int MaxPrefixDigits = 7;

    /// <summary>
    /// The location of <paramref name="e164"/> (<c>+14155550100</c>; the <c>+</c> is optional, separators are
    /// not allowed), or null when the number is not E.164 or its prefix is unassigned, or a NANP area code is
    /// unknown or non-geographic (toll-free).
    /// </summary>
    public static CallerLocation? Locate(string? e164)
    {
        if (string.IsNullOrEmpty(e164))
        {
            return null;
        }

        var digits = e164.AsSpan(e164[0] == '+' ? 1 : 0);
        if (digits.Length is < 4 or > 15 || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        var tables = Data.Value;
        if (digits[0] == '1')
        {
            return digits.Length >= 4 && tables.Nanp.TryGetValue(digits.Slice(1, 3).ToString(), out var nanp) ? nanp : null;
        }

        for (var length = Math.Min(MaxPrefixDigits, digits.Length - 1); length >= 1; length--)
        {
            if (tables.Countries.TryGetValue(digits[..length].ToString(), out var country))
            {
                return country;
            }
        }

        return null;
    }

    private static Tables Load()
    {
        var countries = new Dictionary<string, CallerLocation>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (prefix, iso, name) in Read("country-codes.csv"))
        {
            countries.Add(prefix, new CallerLocation(iso, name, null));
            names.TryAdd(iso, name);
        }

        var nanp = new Dictionary<string, CallerLocation>(StringComparer.Ordinal);
        foreach (var (code, iso, region) in Read("nanp-area-codes.csv"))
        {
            // US and Canadian rows name a state or province; the other members' rows name the country itself.
            nanp.Add(code, iso switch
            {
                "US" => new CallerLocation("US", "United States", region),
                "CA" => new CallerLocation("CA", "Canada", region),
                _ => new CallerLocation(iso, region, null),
            });
        }

        return new Tables(countries.ToFrozenDictionary(StringComparer.Ordinal), nanp.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static IEnumerable<(string Prefix, string Iso, string Name)> Read(string file)
    {
        var name = "CallTracking.Engine.Tracking.Geo." + file;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded table {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        var rows = new List<(string, string, string)>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(',', 3);
            rows.Add((parts[0], parts[1], parts[2]));
        }

        return rows;
    }

    private sealed record Tables(FrozenDictionary<string, CallerLocation> Countries, FrozenDictionary<string, CallerLocation> Nanp);
}
