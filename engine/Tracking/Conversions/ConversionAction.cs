namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>
/// A conversion action of an organisation: which ended calls count (<see cref="Qualifies"/>: all rules set must
/// hold), what each is worth, and the platform it goes to with that platform's settings (endpoint, ids,
/// credentials; see <see cref="ConversionRequests"/> for the keys each platform reads).
/// </summary>
public sealed record ConversionAction(
    Guid Id,
    Guid OrganisationId,
    string Name,
    string Platform,
    string ConversionName,
    decimal MinTalkSeconds,
    string? RequiredTag,
    int? MinScore,
    decimal? Value,
    string Currency,
    bool Send,
    IReadOnlyDictionary<string, string> Settings,
    bool Enabled)
{
    /// <summary>Whether <paramref name="call"/> counts: it ended, talked long enough, carries the tag, reached the score.</summary>
    public bool Qualifies(ConversionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.EndedAt is not null
            && (call.TalkSeconds ?? 0) >= MinTalkSeconds
            && (RequiredTag is null || call.Tags.Contains(RequiredTag, StringComparer.OrdinalIgnoreCase))
            && (MinScore is not { } score || call.Score >= score);
    }

    /// <summary>The conversion's value: the action's fixed value, else the value keyword rules put on the call.</summary>
    public decimal? ValueOf(ConversionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Value ?? call.Value;
    }

    public string? Setting(string key) => Settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
