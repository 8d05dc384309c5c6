using Npgsql;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// Tables that hold rows about a call or an organisation, found from the catalogue (a <c>call_id</c> or
/// <c>organisation_id</c> column) rather than listed here, so tables added later (webhook deliveries, visitor
/// sessions with a call) are exported and erased without changing this code.
/// </summary>
public static class CallLinkedTables
{
    // Handled explicitly (keys, the removal log, the calls and organisations themselves), or derived data
    // cascaded from them.
    private static readonly string[] Excluded = ["calls", "organisations", "data_keys", "data_removals", "schema_migrations"];

    /// <summary>Public tables with a column named <paramref name="column"/>, apart from the excluded ones, quoted for SQL.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(NpgsqlDataSource dataSource, string column, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            """
            SELECT quote_ident(c.table_name) FROM information_schema.columns c
              JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
             WHERE c.table_schema = 'public' AND c.column_name = $1 AND NOT (c.table_name = ANY($2))
             ORDER BY c.table_name
            """);
        command.Parameters.Add(new() { Value = column });
        command.Parameters.Add(new() { Value = Excluded });
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
