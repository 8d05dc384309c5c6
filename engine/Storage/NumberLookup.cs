using Npgsql;

namespace CallTracking.Engine.Storage;

/// <summary>Reads what an inbound call needs about the number it was made to.</summary>
public sealed class NumberLookup
{
    private readonly NpgsqlDataSource _dataSource;

    public NumberLookup(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>The tracking number <paramref name="e164"/> (exactly as stored, "+15551230001"), or null when there is none.</summary>
    public async Task<TrackingNumberRecord?> FindNumberAsync(string e164, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(e164);
        await using var command = _dataSource.CreateCommand(
            """
            SELECT n.id, n.number, n.name, n.organisation_id, c.id, c.name, p.id, p.definition::text
            FROM tracking_numbers n
            LEFT JOIN campaigns c ON c.id = n.campaign_id
            LEFT JOIN routing_plans p ON p.id = coalesce(n.plan_id, c.default_plan_id)
            WHERE n.number = $1
            """);
        command.Parameters.Add(new() { Value = e164 });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new TrackingNumberRecord(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetGuid(6),
                reader.IsDBNull(7) ? null : reader.GetString(7));
        }
    }
}
