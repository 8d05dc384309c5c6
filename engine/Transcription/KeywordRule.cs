namespace CallTracking.Engine.Transcription;

/// <summary>
/// A row of <c>keyword_rules</c>: when <see cref="Pattern"/> is said (by <see cref="Speaker"/>, or anyone when null),
/// the call gets <see cref="Tag"/>, its score moves by <see cref="ScoreDelta"/>, and its value becomes <see cref="Value"/>.
/// </summary>
public sealed record KeywordRule(Guid Id, Guid OrganisationId, string Name, string Pattern, bool IsRegex)
{
    public Speaker? Speaker { get; init; }

    public string? Tag { get; init; }

    public int ScoreDelta { get; init; }

    public decimal? Value { get; init; }
}
