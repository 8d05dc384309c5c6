namespace CallTracking.Engine.Transcription;

/// <summary>
/// The full-text search over transcripts as an SQL predicate on calls, for ListCalls and the REST call list:
/// <code>
/// var sql = $"SELECT ... FROM calls c WHERE c.organisation_id = $1 AND {TranscriptSearch.Predicate("c.id", "$2")}";
/// command.Parameters.Add(new() { Value = organisationId });
/// command.Parameters.Add(TranscriptSearch.Parameter(query));
/// </code>
/// The query is web-search syntax (PostgreSQL <c>websearch_to_tsquery</c>): words are ANDed, "quoted phrases",
/// <c>or</c>, <c>-word</c>; it never fails to parse. Served by the GIN index on <c>transcripts.search</c>.
/// </summary>
public static class TranscriptSearch
{
    /// <summary>The text search configuration the index is built with (migration 0004): no stemming, any language.</summary>
    public const string Configuration = "simple";

    /// <summary>
    /// <c>EXISTS (…)</c>: true for a call with a ready transcript matching the query.
    /// </summary>
    /// <param name="callIdColumn">The calls' id column in the outer query, e.g. <c>c.id</c>.</param>
    /// <param name="placeholder">The query parameter's placeholder: <c>$3</c> (positional) or <c>@q</c> (named).</param>
    public static string Predicate(string callIdColumn, string placeholder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callIdColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(placeholder);
        return $"EXISTS (SELECT 1 FROM transcripts t WHERE t.call_id = {callIdColumn} AND t.status = 'ready' AND t.search @@ websearch_to_tsquery('{Configuration}', {placeholder}))";
    }

    /// <summary>The parameter to bind to the placeholder (text); for a named placeholder pass its name without '@'.</summary>
    public static Npgsql.NpgsqlParameter Parameter(string query, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameter = new Npgsql.NpgsqlParameter { Value = query, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };
        if (name is not null)
        {
            parameter.ParameterName = name;
        }

        return parameter;
    }
}
