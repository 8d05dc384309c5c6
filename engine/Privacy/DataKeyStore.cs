using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// The <c>data_keys</c> table: data keys wrapped by the master key. Reading unwraps; destroying deletes the row
/// (crypto-shredding); <see cref="RotateMasterAsync"/> re-wraps every key under a new master key.
/// </summary>
public sealed class DataKeyStore
{
    public const string RecordingPurpose = "recording";
    public const string TranscriptPurpose = "transcript";

    private readonly NpgsqlDataSource _dataSource;
    private readonly MasterKeyRing _keys;

    public DataKeyStore(NpgsqlDataSource dataSource, MasterKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(keys);
        _dataSource = dataSource;
        _keys = keys;
    }

    public MasterKeyRing Keys => _keys;

    /// <summary>A new data key wrapped by the current master key: (row to store, key in the clear).</summary>
    public (WrappedDataKey Row, byte[] Key) NewKey(string purpose, Guid? callId, string? recordingPath)
    {
        var id = Guid.NewGuid();
        var key = RandomNumberGenerator.GetBytes(MasterKey.KeySize);
        return (new WrappedDataKey(id, purpose, callId, recordingPath, _keys.Current.Id, _keys.Current.Wrap(id, key)), key);
    }

    public async Task StoreAsync(WrappedDataKey row, CancellationToken cancellationToken, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        const string sql = "INSERT INTO data_keys (id, purpose, call_id, recording_path, master_key_id, wrapped_key) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING";
        await using var command = connection is null ? _dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new() { Value = row.Id, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = row.Purpose, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)row.CallId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = (object?)row.RecordingPath ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = row.MasterKeyId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = row.Wrapped, NpgsqlDbType = NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The data key in the clear; null when it was destroyed (or never stored).</summary>
    public async Task<byte[]?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT master_key_id, wrapped_key FROM data_keys WHERE id = $1");
        command.Parameters.Add(new() { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return _keys.Unwrap(reader.GetString(0), id, (byte[])reader.GetValue(1));
    }

    /// <summary>Number of data keys stored.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM data_keys");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Re-wraps every data key wrapped by another master key with <paramref name="next"/>, in batches (each its own
    /// transaction, so a crash loses nothing: unfinished rows still name their old master key, which the ring
    /// keeps until the rotation is complete). The audio and transcripts are not touched.
    /// </summary>
    public async Task<long> RewrapAllAsync(MasterKey next, IProgress<(long Done, long Total)>? progress, CancellationToken cancellationToken, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(next);
        long total;
        await using (var count = _dataSource.CreateCommand("SELECT count(*) FROM data_keys WHERE master_key_id <> $1"))
        {
            count.Parameters.Add(new() { Value = next.Id, NpgsqlDbType = NpgsqlDbType.Text });
            total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        long done = 0;
        progress?.Report((0, total));
        while (true)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var batch = new List<(Guid Id, string Master, byte[] Wrapped)>();
            await using (var select = new NpgsqlCommand("SELECT id, master_key_id, wrapped_key FROM data_keys WHERE master_key_id <> $1 LIMIT $2 FOR UPDATE", connection, transaction))
            {
                select.Parameters.Add(new() { Value = next.Id, NpgsqlDbType = NpgsqlDbType.Text });
                select.Parameters.Add(new() { Value = batchSize, NpgsqlDbType = NpgsqlDbType.Integer });
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    batch.Add((reader.GetGuid(0), reader.GetString(1), (byte[])reader.GetValue(2)));
                }
            }

            if (batch.Count == 0)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return done;
            }

            foreach (var (id, master, wrapped) in batch)
            {
                var key = _keys.Unwrap(master, id, wrapped);
                try
                {
                    await using var update = new NpgsqlCommand("UPDATE data_keys SET master_key_id = $2, wrapped_key = $3 WHERE id = $1", connection, transaction);
                    update.Parameters.Add(new() { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid });
                    update.Parameters.Add(new() { Value = next.Id, NpgsqlDbType = NpgsqlDbType.Text });
                    update.Parameters.Add(new() { Value = next.Wrap(id, key), NpgsqlDbType = NpgsqlDbType.Bytea });
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(key);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            done += batch.Count;
            progress?.Report((done, total));
        }
    }
}
