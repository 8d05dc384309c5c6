using System.IO.Compression;
using System.Text.Json.Nodes;
using CallTracking.Engine.Configuration;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// An organisation leaving: <see cref="ExportAsync"/> writes everything it owns into one zip (its row, the rows of
/// every table with an <c>organisation_id</c> — campaigns, numbers, plans, rules, keys and users without their
/// secrets, … — and every call with decrypted recordings and transcripts); <see cref="DeleteAsync"/> then removes
/// it: every call's keys shredded, files and rows deleted, then everything else it owns, then the organisation.
/// An organisation with client organisations is refused (they go first).
/// </summary>
public sealed class OrganisationExit
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly DataDeletion _deletion;
    private readonly IAuditSink _audit;
    private readonly PrivacyArchive _archive;
    private readonly TimeProvider _time;

    public OrganisationExit(NpgsqlDataSource dataSource, DataDeletion deletion, IAuditSink audit, RecordingReader recordings, TranscriptCipher transcripts, EngineSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _dataSource = dataSource;
        _deletion = deletion;
        _audit = audit;
        _time = time;
        _archive = new PrivacyArchive(dataSource, recordings, transcripts, settings.DataPath);
    }

    /// <summary>The organisation's id by name or id text; null when there is none.</summary>
    public async Task<(Guid Id, string Name)?> FindAsync(string nameOrId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT id, name FROM organisations WHERE name = $1 OR id::text = $1");
        command.Parameters.Add(new() { Value = nameOrId, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetGuid(0), reader.GetString(1)) : null;
    }

    public async Task<int> ExportAsync(Guid organisationId, string actor, Stream output, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var calls = await CallIdsAsync(organisationId, cancellationToken).ConfigureAwait(false);
        var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        await using (zip.ConfigureAwait(false))
        {
            var owned = new JsonObject();
            foreach (var table in await CallLinkedTables.ListAsync(_dataSource, "organisation_id", cancellationToken).ConfigureAwait(false))
            {
                if (table is "calls" or "events" or "call_attributions")
                {
                    continue;
                }

                owned[table.Trim('"')] = await _archive.RowsAsync($"SELECT (to_jsonb(t) - 'secret_hash' - 'password_hash' - 'wrapped_key')::text FROM {table} t WHERE t.organisation_id = $1", organisationId, cancellationToken).ConfigureAwait(false);
            }

            var manifest = new JsonObject
            {
                ["kind"] = "calltracking.organisation-export",
                ["version"] = 1,
                ["generated_at"] = _time.GetUtcNow(),
                ["organisation"] = (await _archive.RowsAsync("SELECT row_to_json(o)::text FROM organisations o WHERE o.id = $1", organisationId, cancellationToken).ConfigureAwait(false)).FirstOrDefault()?.DeepClone(),
                ["calls"] = calls.Count,
            };
            await PrivacyArchive.AddJsonAsync(zip, "manifest.json", manifest, cancellationToken).ConfigureAwait(false);
            await PrivacyArchive.AddJsonAsync(zip, "organisation.json", owned, cancellationToken).ConfigureAwait(false);
            await PrivacyArchive.AddJsonAsync(zip, "removals.json", await _archive.RowsAsync("SELECT row_to_json(d)::text FROM data_removals d WHERE d.organisation_id = $1 ORDER BY d.id", organisationId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            await _archive.AddCallsAsync(zip, calls, progress, cancellationToken).ConfigureAwait(false);
        }

        await _audit.RecordAsync("organisation.exported", organisationId, actor, organisationId.ToString(), new { calls = calls.Count }, cancellationToken).ConfigureAwait(false);
        return calls.Count;
    }

    /// <summary>Deletes the organisation and everything it owns; false when it has client organisations.</summary>
    public async Task<bool> DeleteAsync(Guid organisationId, string actor, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        await using (var children = _dataSource.CreateCommand("SELECT count(*) FROM organisations WHERE parent_id = $1"))
        {
            children.Parameters.Add(new() { Value = organisationId, NpgsqlDbType = NpgsqlDbType.Uuid });
            if ((long)(await children.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0)
            {
                return false;
            }
        }

        var calls = await CallIdsAsync(organisationId, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < calls.Count; i++)
        {
            await _deletion.DeleteAsync(calls[i], DeletionTarget.CallRow, actor, "request", scope: null, cancellationToken).ConfigureAwait(false);
            progress?.Report((i + 1, calls.Count));
        }

        // Everything else it owns, in an order the foreign keys accept: a table still referenced is tried again
        // after the others (campaigns after numbers, plans after campaigns, …).
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            var pending = new List<string>(await CallLinkedTables.ListAsync(_dataSource, "organisation_id", cancellationToken).ConfigureAwait(false));
            pending.Remove("data_removals");

            // The audit trail is append-only (its trigger refuses deletes) and outlives the organisation: it is the
            // record that the exit happened.
            pending.Remove("audit_log");
            for (var pass = 0; pending.Count > 0; pass++)
            {
                var failed = new List<string>();
                foreach (var table in pending)
                {
                    await using var savepoint = new NpgsqlCommand("SAVEPOINT exit_table", connection, transaction);
                    await savepoint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        var sql = table == "trunks"
                            ? "UPDATE trunks SET organisation_id = NULL WHERE organisation_id = $1"
                            : $"DELETE FROM {table} WHERE organisation_id = $1";
                        await using var delete = new NpgsqlCommand(sql, connection, transaction);
                        delete.Parameters.Add(new() { Value = organisationId, NpgsqlDbType = NpgsqlDbType.Uuid });
                        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation && pass < 10)
                    {
                        await using var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT exit_table", connection, transaction);
                        await rollback.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        failed.Add(table);
                    }
                }

                pending = failed;
            }

            await using (var organisation = new NpgsqlCommand("DELETE FROM organisations WHERE id = $1", connection, transaction))
            {
                organisation.Parameters.Add(new() { Value = organisationId, NpgsqlDbType = NpgsqlDbType.Uuid });
                await organisation.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await _audit.RecordAsync("organisation.deleted", organisationId, actor, organisationId.ToString(), new { calls = calls.Count }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<List<Guid>> CallIdsAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT id FROM calls WHERE organisation_id = $1 ORDER BY started_at, id");
        command.Parameters.Add(new() { Value = organisationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
