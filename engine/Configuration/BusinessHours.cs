using System.Globalization;

namespace CallTracking.Engine.Configuration;

/// <summary>
/// Opening hours in one time zone: per weekday, ranges of local wall-clock time. A range that ends before it
/// starts (<c>22:00-02:00</c>) runs past midnight into the next day. Immutable and thread-safe.
/// </summary>
public sealed class BusinessHours
{
    private static readonly string[] DayKeys = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    // Per DayOfWeek (Sunday = 0): open intervals in minutes since local midnight, [start, end).
    private readonly (int Start, int End)[][] _open;

    private BusinessHours(TimeZoneInfo timeZone, (int Start, int End)[][] open, IReadOnlyDictionary<string, string> schedule)
    {
        TimeZone = timeZone;
        _open = open;
        Schedule = schedule;
    }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>The schedule as configured (normalised day keys <c>mon</c> … <c>sun</c>).</summary>
    public IReadOnlyDictionary<string, string> Schedule { get; }

    /// <summary>The weekday keys accepted in a schedule.</summary>
    public static IReadOnlyList<string> Days => DayKeys;

    /// <summary>
    /// True when <paramref name="now"/>, seen on the wall clock of <see cref="TimeZone"/>, falls in an open range.
    /// The conversion follows the zone's rules for that instant, so daylight-saving changes are honoured.
    /// </summary>
    public bool IsOpen(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZone);
        var minute = (local.Hour * 60) + local.Minute;
        foreach (var (start, end) in _open[(int)local.DayOfWeek])
        {
            if (minute >= start && minute < end)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Builds opening hours from day → hours pairs: <c>08:00-18:00</c>, several ranges separated by commas,
    /// or <c>closed</c>. Days not listed are closed. On failure <paramref name="errorKey"/> names the day at fault.
    /// </summary>
    public static bool TryCreate(
        TimeZoneInfo timeZone,
        IEnumerable<KeyValuePair<string, string>> schedule,
        out BusinessHours hours,
        out string? errorKey,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        ArgumentNullException.ThrowIfNull(schedule);
        var open = new List<(int Start, int End)>[7];
        for (var i = 0; i < 7; i++)
        {
            open[i] = [];
        }

        var normalised = new SortedDictionary<string, string>(StringComparer.Ordinal);
        hours = null!;
        foreach (var (key, value) in schedule)
        {
            errorKey = key;
            var day = Array.FindIndex(DayKeys, d => string.Equals(d, key.Trim(), StringComparison.OrdinalIgnoreCase));
            if (day < 0)
            {
                error = $"\"{key}\" is not a day (use {string.Join(", ", DayKeys.Skip(1).Append("sun"))})";
                return false;
            }

            var text = value?.Trim() ?? string.Empty;
            normalised[DayKeys[day]] = text;
            if (string.Equals(text, "closed", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!TryParseRange(part, out var start, out var end))
                {
                    error = $"\"{part}\" is not a time range (expected HH:mm-HH:mm, e.g. 08:00-18:00, or \"closed\")";
                    return false;
                }

                if (start == end)
                {
                    error = $"\"{part}\" is empty (start equals end)";
                    return false;
                }

                if (start < end)
                {
                    open[day].Add((start, end));
                }
                else
                {
                    // Past midnight: the rest of this day and the start of the next.
                    open[day].Add((start, 24 * 60));
                    if (end > 0)
                    {
                        open[(day + 1) % 7].Add((0, end));
                    }
                }
            }
        }

        errorKey = null;
        error = null;
        hours = new BusinessHours(timeZone, [.. open.Select(d => d.ToArray())], normalised.AsReadOnly());
        return true;
    }

    private static bool TryParseRange(string text, out int start, out int end)
    {
        start = 0;
        end = 0;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && TryParseTime(text.AsSpan(0, dash), allow24: false, out start)
            && TryParseTime(text.AsSpan(dash + 1), allow24: true, out end);
    }

    private static bool TryParseTime(ReadOnlySpan<char> text, bool allow24, out int minutes)
    {
        minutes = 0;
        text = text.Trim();
        var colon = text.IndexOf(':');
        if (colon is < 1 or > 2 || text.Length != colon + 3
            || !int.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || m > 59 || h > 24 || (h == 24 && (!allow24 || m != 0)))
        {
            return false;
        }

        minutes = (h * 60) + m;
        return true;
    }
}
