namespace CallTracking.Engine.Api;

/// <summary>A conversion action. Settings are write-only (they hold credentials): only their names are shown.</summary>
public sealed record ConversionActionResource(
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
    IReadOnlyList<string> SettingKeys,
    bool Enabled);
