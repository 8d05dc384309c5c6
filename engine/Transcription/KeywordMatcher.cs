using System.Text.RegularExpressions;

namespace CallTracking.Engine.Transcription;

/// <summary>
/// Decides whether a rule's pattern was said. A phrase matches case-insensitively on word boundaries with any
/// whitespace between its words ("booked an appointment" does not match "rebooked an appointments"); a regular
/// expression runs case-insensitively under a time-out, so an operator's catastrophic pattern costs a
/// bounded time and matches nothing. The speaker's segments are joined with spaces, so a phrase split by Whisper
/// across two segments still matches. Stateless.
/// </summary>
public static class KeywordMatcher
{
    /// <summary>The longest a rule's regular expression may run over one transcript.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);

    /// <summary>The matched text, or null when the rule does not match (or its regex timed out or is invalid).</summary>
    public static string? Match(KeywordRule rule, IReadOnlyList<TranscriptSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(segments);
        var text = string.Join(' ', segments.Where(s => rule.Speaker is null || s.Speaker == rule.Speaker).Select(s => s.Text));
        if (text.Length == 0 || string.IsNullOrWhiteSpace(rule.Pattern))
        {
            return null;
        }

        try
        {
            var regex = new Regex(ToRegex(rule), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);
            var match = regex.Match(text);
            return match.Success ? match.Value : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> with the reason when <paramref name="pattern"/> is not a valid .NET regular expression.</summary>
    public static void Validate(string pattern, bool isRegex)
    {
        if (isRegex)
        {
            _ = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);
        }
        else if (string.IsNullOrWhiteSpace(pattern))
        {
            throw new ArgumentException("a phrase must have at least one word", nameof(pattern));
        }
    }

    private static string ToRegex(KeywordRule rule)
    {
        if (rule.IsRegex)
        {
            return rule.Pattern;
        }

        // Lookarounds instead of \b: a phrase may start or end with a non-word character ("C++", "£20").
        var words = rule.Pattern.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Regex.Escape);
        return @"(?<!\w)" + string.Join(@"\s+", words) + @"(?!\w)";
    }
}
