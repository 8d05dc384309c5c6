namespace CallTracking.Engine.Cli;

/// <summary>
/// Separates configuration overrides (<c>--Section:Key=value</c> or <c>--Section:Key value</c>,
/// the shape ASP.NET Core's command-line provider reads) from the arguments
/// System.CommandLine parses. Only that exact shape is taken: a key of two or more
/// colon-separated segments, so a mistyped option such as <c>--frob</c> is still rejected.
/// </summary>
internal static class ConfigOverrides
{
    /// <param name="remaining">Arguments that are not overrides, in order.</param>
    /// <param name="error">Why an override-shaped argument could not be read.</param>
    public static bool TrySplit(
        IReadOnlyList<string> args,
        out List<string> remaining,
        out List<KeyValuePair<string, string?>> overrides,
        out string? error)
    {
        remaining = [];
        overrides = [];
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                remaining.AddRange(args.Skip(i));
                break;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                remaining.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? arg[2..] : arg[2..equals];
            if (!IsKey(key))
            {
                remaining.Add(arg);
                continue;
            }

            if (equals >= 0)
            {
                overrides.Add(new(key, arg[(equals + 1)..]));
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                overrides.Add(new(key, args[++i]));
            }
            else
            {
                error = $"option '{arg}' needs a value ('{arg}=value' or '{arg} value')";
                return false;
            }
        }

        return true;
    }

    private static bool IsKey(string key)
    {
        var segments = 0;
        foreach (var range in key.AsSpan().Split(':'))
        {
            var segment = key.AsSpan()[range];
            if (segment.IsEmpty)
            {
                return false;
            }

            foreach (var c in segment)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
                {
                    return false;
                }
            }

            segments++;
        }

        return segments >= 2 && char.IsAsciiLetter(key[0]);
    }
}
