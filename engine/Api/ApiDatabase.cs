using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Api;

/// <summary>The few query shapes the endpoints need, over the engine's data source. Every statement is a constant with positional parameters.</summary>
public sealed class ApiDatabase
{
    private readonly NpgsqlDataSource _dataSource;

    public ApiDatabase(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    public async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(map(reader));
        }

        return items;
    }

    public async Task<T?> SingleAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
        where T : class
    {
        var items = await ListAsync(sql, map, cancellationToken, parameters).ConfigureAwait(false);
        return items.Count == 0 ? null : items[0];
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static NpgsqlParameter P(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    public static NpgsqlParameter Uuid(Guid? value) => P(value, NpgsqlDbType.Uuid);

    public static NpgsqlParameter Text(string? value) => P(value, NpgsqlDbType.Text);

    /// <summary>The organisations a principal may see, for <c>organisation_id = any($n)</c>.</summary>
    public static NpgsqlParameter Scope(ApiPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return P(principal.Scope, NpgsqlDbType.Array | NpgsqlDbType.Uuid);
    }

    public static Guid? NullableGuid(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetGuid(ordinal);

    public static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
