namespace CallTracking.Engine.Tracking.Dni;

/// <summary>
/// One traffic source of a site (<c>dni_sources</c>): its priority (lower first), how it matches a visitor, and
/// what a matching visitor sees — a static number or a number from a pool.
/// </summary>
public sealed record SourceRule(Guid Id, string Name, int Priority, SourceMatchKind Kind)
{
    /// <summary>For <see cref="SourceMatchKind.LandingParameter"/>: the query parameter's name.</summary>
    public string? Parameter { get; init; }

    /// <summary>For <see cref="SourceMatchKind.LandingParameter"/>: the value required (null: present with any value); for <see cref="SourceMatchKind.Referrer"/>: the domain.</summary>
    public string? Value { get; init; }

    public string? UtmSource { get; init; }

    public string? UtmMedium { get; init; }

    public Guid? TrackingNumberId { get; init; }

    public string? Number { get; init; }

    public Guid? PoolId { get; init; }

    /// <summary>The database text of <paramref name="kind"/>.</summary>
    public static string Text(SourceMatchKind kind) => kind switch
    {
        SourceMatchKind.LandingParameter => "landing_param",
        SourceMatchKind.Utm => "utm",
        SourceMatchKind.Referrer => "referrer",
        SourceMatchKind.All => "all",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? text, out SourceMatchKind kind)
    {
        (var ok, kind) = text switch
        {
            "landing_param" => (true, SourceMatchKind.LandingParameter),
            "utm" => (true, SourceMatchKind.Utm),
            "referrer" => (true, SourceMatchKind.Referrer),
            "all" => (true, SourceMatchKind.All),
            _ => (false, SourceMatchKind.All),
        };
        return ok;
    }

    /// <summary>Whether a visitor with <paramref name="touch"/> belongs to this source.</summary>
    public bool Matches(VisitorTouch touch)
    {
        ArgumentNullException.ThrowIfNull(touch);
        switch (Kind)
        {
            case SourceMatchKind.All:
                return true;
            case SourceMatchKind.LandingParameter:
                if (Parameter is null || touch.LandingParameter(Parameter) is not { } value)
                {
                    return false;
                }

                return Value is null ? true : string.Equals(value, Value, StringComparison.OrdinalIgnoreCase);
            case SourceMatchKind.Utm:
                return UtmSource is not null
                    && string.Equals(touch.UtmSource, UtmSource, StringComparison.OrdinalIgnoreCase)
                    && (UtmMedium is null || string.Equals(touch.UtmMedium, UtmMedium, StringComparison.OrdinalIgnoreCase));
            case SourceMatchKind.Referrer:
                if (Value is null || touch.ReferrerHost is not { } host)
                {
                    return false;
                }

                var domain = Value.Trim().TrimEnd('.').ToLowerInvariant();
                return host == domain || host.EndsWith("." + domain, StringComparison.Ordinal);
            default:
                return false;
        }
    }

    /// <summary>The first source, by ascending priority (then name), that matches <paramref name="touch"/>; null when none does.</summary>
    public static SourceRule? Choose(IEnumerable<SourceRule> sources, VisitorTouch touch)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return sources.OrderBy(s => s.Priority).ThenBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(s => s.Matches(touch));
    }
}
