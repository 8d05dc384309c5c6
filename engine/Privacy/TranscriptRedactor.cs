using System.Text;
using System.Text.RegularExpressions;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// Finds personal and card data in transcript text and replaces it with labels, before the text is stored:
/// <list type="bullet">
/// <item><c>[CARD]</c>: 13 to 19 digits that pass the Luhn check (ISO/IEC 7812-1 Annex B), written as numerals or
/// spoken as words ("four one one one…", "double one"), in groups or not. A run failing Luhn is left alone.</item>
/// <item><c>[EXPIRY]</c>: a month/year after expiry talk ("expires", "expiry date", "valid thru").</item>
/// <item><c>[CVV]</c>: 3 or 4 digits after security-code talk ("CVV", "security code", "on the back") or just after a card number.</item>
/// <item><c>[SSN]</c>: a US Social Security number, 123-45-6789, or 9 digits after "social security"/"SSN".</item>
/// <item><c>[NI]</c>: a UK National Insurance number (HMRC format: two prefix letters, six digits, suffix A-D).</item>
/// <item><c>[DOB]</c>: a date after "date of birth"/"born on"/"DOB"/"birthday", numeric or "12th of March 1980".</item>
/// <item><c>[EMAIL]</c>: an e-mail address, written or spoken ("jane dot doe at example dot com").</item>
/// </list>
/// Keyed card numbers (DTMF) are redacted by <see cref="RedactKeys"/>. Context words are looked for in the
/// <see cref="ContextWindow"/> characters before a candidate, across the text given (callers pass a speaker's
/// consecutive segments joined, so "my card number is" in one segment covers digits in the next).
/// </summary>
public static partial class TranscriptRedactor
{
    public const string Card = "[CARD]";
    public const string Expiry = "[EXPIRY]";
    public const string Cvv = "[CVV]";
    public const string Ssn = "[SSN]";
    public const string NationalInsurance = "[NI]";
    public const string DateOfBirth = "[DOB]";
    public const string Email = "[EMAIL]";

    /// <summary>How far before a candidate its context words may be.</summary>
    public const int ContextWindow = 60;

    private static readonly Dictionary<string, char> DigitWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["zero"] = '0', ["oh"] = '0', ["o"] = '0', ["nought"] = '0', ["nil"] = '0',
        ["one"] = '1', ["two"] = '2', ["three"] = '3', ["four"] = '4', ["five"] = '5',
        ["six"] = '6', ["seven"] = '7', ["eight"] = '8', ["nine"] = '9',
    };

    public static RedactedText Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<Redaction>();

        // Patterns with their own shape first; then digit runs, judged by length, checksum and context.
        foreach (Match m in EmailPattern().Matches(text))
        {
            found.Add(new Redaction(Email, m.Index, m.Index + m.Length));
        }

        foreach (Match m in SpokenEmailPattern().Matches(text))
        {
            found.Add(new Redaction(Email, m.Index, m.Index + m.Length));
        }

        foreach (Match m in NationalInsurancePattern().Matches(text))
        {
            found.Add(new Redaction(NationalInsurance, m.Index, m.Index + m.Length));
        }

        foreach (Match m in SsnPattern().Matches(text))
        {
            found.Add(new Redaction(Ssn, m.Index, m.Index + m.Length));
        }

        foreach (Match m in WrittenDatePattern().Matches(text))
        {
            if (HasContext(text, m.Index, DobContext()))
            {
                found.Add(new Redaction(DateOfBirth, m.Index, m.Index + m.Length));
            }
        }

        foreach (var run in DigitRuns(text))
        {
            if (Overlaps(found, run.Start, run.End))
            {
                continue;
            }

            var label = Classify(text, run) ?? (run.Digits.Length is 3 or 4 && found.Any(r => r.Label == Card && r.End <= run.Start && run.Start - r.End <= ContextWindow) ? Cvv : null);
            if (label is not null)
            {
                found.Add(new Redaction(label, run.Start, run.End));
            }
        }

        return Apply(text, found);
    }

    /// <summary>
    /// A key sequence as keyed (RFC 4733 events: 0-9, *, #, A-D) with every Luhn-valid run of 13 to 19 digits
    /// replaced by <c>[CARD]</c>.
    /// </summary>
    public static RedactedText RedactKeys(string keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new List<Redaction>();
        foreach (Match m in KeyedDigits().Matches(keys))
        {
            // Keys around the card (a menu choice, the pause sequence's digit) may run into it: the longest
            // Luhn-valid window of 13 to 19 digits is the card.
            if (LuhnWindow(m.Value) is { } window)
            {
                found.Add(new Redaction(Card, m.Index + window.Start, m.Index + window.Start + window.Length));
            }
        }

        return Apply(keys, found);
    }

    /// <summary>The Luhn check (ISO/IEC 7812-1 Annex B) over a string of digits.</summary>
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 2)
        {
            return false;
        }

        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (d is < 0 or > 9)
            {
                return false;
            }

            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    private static (int Start, int Length)? LuhnWindow(string digits)
    {
        for (var length = Math.Min(19, digits.Length); length >= 13; length--)
        {
            for (var start = 0; start + length <= digits.Length; start++)
            {
                if (Luhn(digits.AsSpan(start, length)))
                {
                    return (start, length);
                }
            }
        }

        return null;
    }

    private static string? Classify(string text, DigitRun run)
    {
        var n = run.Digits.Length;
        if (n is >= 13 and <= 19 && Luhn(run.Digits))
        {
            return Card;
        }

        if (n == 9 && HasContext(text, run.Start, SsnContext()))
        {
            return Ssn;
        }

        if (n is >= 6 and <= 8 && HasContext(text, run.Start, DobContext()))
        {
            return DateOfBirth;
        }

        if (n is >= 3 and <= 6 && HasContext(text, run.Start, ExpiryContext()))
        {
            return Expiry;
        }

        if (n is 3 or 4 && HasContext(text, run.Start, CvvContext()))
        {
            return Cvv;
        }

        return null;
    }

    private static bool HasContext(string text, int start, Regex context)
    {
        var from = Math.Max(0, start - ContextWindow);
        return context.IsMatch(text.AsSpan(from, start - from));
    }

    private static bool Overlaps(List<Redaction> found, int start, int end) => found.Any(r => r.Start < end && start < r.End);

    private static RedactedText Apply(string text, List<Redaction> found)
    {
        if (found.Count == 0)
        {
            return new RedactedText(text, []);
        }

        // Overlaps keep the earlier (then longer) span.
        var ordered = found.OrderBy(r => r.Start).ThenByDescending(r => r.End).ToList();
        var kept = new List<Redaction>();
        foreach (var r in ordered)
        {
            if (kept.Count == 0 || r.Start >= kept[^1].End)
            {
                kept.Add(r);
            }
        }

        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var r in kept)
        {
            builder.Append(text, at, r.Start - at).Append(r.Label);
            at = r.End;
        }

        builder.Append(text, at, text.Length - at);
        return new RedactedText(builder.ToString(), kept);
    }

    /// <summary>
    /// Runs of digits as said or written: numerals and digit words ("double"/"triple" repeat the next), joined by
    /// spaces, hyphens, commas, full stops or slashes. A run's span covers its first to its last digit.
    /// </summary>
    private static List<DigitRun> DigitRuns(string text)
    {
        var runs = new List<DigitRun>();
        var digits = new StringBuilder();
        int start = -1, end = -1, repeat = 1;
        var pendingRepeatStart = -1;
        foreach (Match token in Tokens().Matches(text))
        {
            var value = token.Value;
            string? asDigits = null;
            if (char.IsAsciiDigit(value[0]))
            {
                asDigits = value;
            }
            else if (DigitWords.TryGetValue(value, out var digit) && !(value.Equals("o", StringComparison.OrdinalIgnoreCase) && digits.Length == 0))
            {
                asDigits = new string(digit, 1);
            }
            else if (value.Equals("double", StringComparison.OrdinalIgnoreCase) || value.Equals("triple", StringComparison.OrdinalIgnoreCase))
            {
                repeat = value.Length == 6 ? 2 : 3;
                pendingRepeatStart = token.Index;
                continue;
            }
            else if (value is "-" or "," or "." or "/" && digits.Length > 0)
            {
                continue;
            }

            if (asDigits is not null)
            {
                if (digits.Length == 0)
                {
                    start = pendingRepeatStart >= 0 ? pendingRepeatStart : token.Index;
                }

                for (var i = 0; i < repeat; i++)
                {
                    digits.Append(asDigits);
                }

                end = token.Index + token.Length;
                repeat = 1;
                pendingRepeatStart = -1;
                continue;
            }

            Flush();
            repeat = 1;
            pendingRepeatStart = -1;
        }

        Flush();
        return runs;

        void Flush()
        {
            if (digits.Length > 0)
            {
                runs.Add(new DigitRun(start, end, digits.ToString()));
                digits.Clear();
            }
        }
    }

    private readonly record struct DigitRun(int Start, int End, string Digits);

    [GeneratedRegex(@"\d+|[A-Za-z]+|[^\sA-Za-z\d]", RegexOptions.CultureInvariant)]
    private static partial Regex Tokens();

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex KeyedDigits();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b[a-z0-9]+(?:\s+(?:dot|underscore|dash)\s+[a-z0-9]+)*\s+at\s+[a-z0-9]+(?:\s+dot\s+[a-z0-9]+)*\s+dot\s+(?:com|net|org|co|uk|io|edu|gov|de|fr)\b(?:\s+dot\s+[a-z]{2})?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SpokenEmailPattern();

    // HMRC's NI number format: prefix letters exclude D, F, I, Q, U, V (and O second); suffix A-D.
    [GeneratedRegex(@"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NationalInsurancePattern();

    [GeneratedRegex(@"\b\d{3}-\d{2}-\d{4}\b", RegexOptions.CultureInvariant)]
    private static partial Regex SsnPattern();

    [GeneratedRegex(@"\b(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*,?\s+\d{2,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WrittenDatePattern();

    [GeneratedRegex(@"date\s+of\s+birth|\bborn\b|\bd\.?o\.?b\b|birthday", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DobContext();

    [GeneratedRegex(@"social\s+security|\bssn\b|\bsocial\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SsnContext();

    [GeneratedRegex(@"expir|\bexp\b|valid\s+(?:thru|through|until|to)|end\s+date", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExpiryContext();

    [GeneratedRegex(@"\bcvv2?\b|\bcvc2?\b|\bcv2\b|security\s+(?:code|number)|verification|on\s+the\s+back|three\s+digits|last\s+(?:three|3)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CvvContext();
}
