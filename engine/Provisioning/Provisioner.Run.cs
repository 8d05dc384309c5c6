using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Provisioning;

/// <summary>One application of a file: its connection and transaction, and what it found and did.</summary>
public sealed partial class Provisioner
{
    private static NpgsqlParameter P(object? value, NpgsqlDbType? type = null)
    {
        var parameter = new NpgsqlParameter { Value = value ?? DBNull.Value };
        if (type is { } t)
        {
            parameter.NpgsqlDbType = t;
        }

        return parameter;
    }

    private sealed class Run(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        public List<ProvisioningChange> Changes { get; } = [];

        public List<ProvisioningError> Errors { get; } = [];

        public void Error(string path, string message) => Errors.Add(new ProvisioningError(path, message));

        public void Change(string kind, string name, ProvisioningAction action) => Changes.Add(new ProvisioningChange(kind, name, action, []));

        public void Change(string kind, string name, List<string> fields) =>
            Changes.Add(new ProvisioningChange(kind, name, fields.Count > 0 ? ProvisioningAction.Updated : ProvisioningAction.Unchanged, fields));

        public async Task ExecuteAsync(string sql, params NpgsqlParameter[] parameters)
        {
            await using var command = Command(sql, parameters);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task<T> ScalarAsync<T>(string sql, params NpgsqlParameter[] parameters)
        {
            await using var command = Command(sql, parameters);
            return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        public async Task ReadAsync(string sql, Action<NpgsqlDataReader> row, params NpgsqlParameter[] parameters)
        {
            await using var command = Command(sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                row(reader);
            }
        }

        /// <summary>Name → id of an organisation's plans or campaigns (<paramref name="table"/> is one of two constants).</summary>
        public async Task<Dictionary<string, Guid>> NamesAsync(string table, Guid organisationId)
        {
            var sql = table switch
            {
                "routing_plans" => "select name, id from routing_plans where organisation_id = $1",
                "campaigns" => "select name, id from campaigns where organisation_id = $1",
                _ => throw new ArgumentOutOfRangeException(nameof(table)),
            };
            var names = new Dictionary<string, Guid>(StringComparer.Ordinal);
            await ReadAsync(sql, reader => names[reader.GetString(0)] = reader.GetGuid(1), P(organisationId, NpgsqlDbType.Uuid)).ConfigureAwait(false);
            return names;
        }

        private NpgsqlCommand Command(string sql, NpgsqlParameter[] parameters)
        {
            var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddRange(parameters);
            return command;
        }
    }
}
