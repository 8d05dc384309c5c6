using Npgsql;

namespace CallTracking.IntegrationTests.Calls;

/// <summary>Reads what the engine wrote about a call (its events and outbound legs) from the test's database.</summary>
internal static class CallRecords
{
    /// <summary>The kinds of the call's events, in event id order.</summary>
    public static Task<List<string>> EventsAsync(string database, Guid callId) =>
        ReadAsync(database, callId, "SELECT kind FROM events WHERE call_id = $1 ORDER BY id", r => r.GetString(0));

    /// <summary>The outbound legs' destinations and final statuses (0 while none), oldest first.</summary>
    public static Task<List<(string Destination, int Status)>> LegsAsync(string database, Guid callId) =>
        ReadAsync(database, callId, "SELECT destination, coalesce(final_status, 0) FROM call_legs WHERE call_id = $1 AND direction = 'outbound' ORDER BY started_at", r => (r.GetString(0), r.GetInt32(1)));

    /// <summary>The outbound legs' own SIP Call-IDs, oldest first.</summary>
    public static Task<List<string?>> LegCallIdsAsync(string database, Guid callId) =>
        ReadAsync(database, callId, "SELECT sip_call_id FROM call_legs WHERE call_id = $1 AND direction = 'outbound' ORDER BY started_at", r => r.IsDBNull(0) ? null : r.GetString(0));

    private static async Task<List<T>> ReadAsync<T>(string database, Guid callId, string sql, Func<NpgsqlDataReader, T> row)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new() { Value = callId });
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(row(reader));
        }

        return rows;
    }
}
