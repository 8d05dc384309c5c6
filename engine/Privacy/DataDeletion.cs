using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// Deletes a call's recording, transcript or the whole call, in the order that makes the deletion final even if it
/// is interrupted: (1) the data keys are destroyed and committed (crypto-shredding: every copy of the file or text
/// anywhere, backups included, is unreadable from that moment), (2) the files are removed, (3) the rows are removed,
/// the call row gets its tombstone (what, when, by whom), <c>data_removals</c> a line, the outbox a
/// <c>call.data_deleted</c> event — in one transaction — and (4) the audit sink is told. Deleting again is harmless.
/// </summary>
public sealed class DataDeletion
{
    public const string EventKind = "call.data_deleted";

    // Tables this class deletes from explicitly or that cascade from them.
    private static readonly HashSet<string> KnownCallTables = ["recordings", "transcripts", "transcript_segments", "transcription_jobs", "call_legs", "call_attributions", "call_tags", "events", "call_rule_applications"];

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _dataPath;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;

    public DataDeletion(NpgsqlDataSource dataSource, string dataPath, IAuditSink audit, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        _dataSource = dataSource;
        _dataPath = dataPath;
        _audit = audit;
        _time = time;
    }

    /// <param name="scope">Organisations the caller may touch; null: any (the CLI, retention).</param>
    /// <param name="reason"><c>request</c>, <c>retention</c> or <c>subject-erasure</c>.</param>
    public async Task<DeletionResult> DeleteAsync(Guid callId, DeletionTarget target, string actor, string reason, IReadOnlyCollection<Guid>? scope, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        Guid organisationId;
        await using (var find = _dataSource.CreateCommand("SELECT organisation_id FROM calls WHERE id = $1"))
        {
            find.Parameters.Add(Uuid(callId));
            if (await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not Guid found || (scope is not null && !scope.Contains(found)))
            {
                return new DeletionResult(false, 0, 0, 0, 0);
            }

            organisationId = found;
        }

        var withRecording = target is not DeletionTarget.Transcript;
        var withTranscript = target is not DeletionTarget.Recording;

        // What there is: recording files and the keys that open them, transcripts and theirs.
        var paths = new List<string>();
        var keyIds = new HashSet<Guid>();
        int recordings = 0, transcripts = 0;
        if (withRecording)
        {
            // The recording and its redacted copy (Privacy/RecordingRedaction), each with its own key.
            await using var select = _dataSource.CreateCommand("SELECT path, redacted_path FROM recordings WHERE call_id = $1");
            select.Parameters.Add(Uuid(callId));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                recordings++;
                for (var column = 0; column < 2; column++)
                {
                    if (reader.IsDBNull(column))
                    {
                        continue;
                    }

                    var path = Path.GetFullPath(reader.GetString(column), _dataPath);
                    paths.Add(path);
                    if (RecordingReader.KeyIdOf(path) is { } keyId)
                    {
                        keyIds.Add(keyId);
                    }
                }
            }
        }

        if (withTranscript)
        {
            await using var select = _dataSource.CreateCommand("SELECT data_key_id FROM transcripts WHERE call_id = $1");
            select.Parameters.Add(Uuid(callId));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                transcripts++;
                if (!reader.IsDBNull(0))
                {
                    keyIds.Add(reader.GetGuid(0));
                }
            }
        }

        // (1) Shred: the keys first, committed on their own.
        int destroyed;
        await using (var shred = _dataSource.CreateCommand(
            """
            DELETE FROM data_keys
             WHERE id = ANY($1)
                OR recording_path = ANY($2)
                OR (call_id = $3 AND ((purpose = 'recording' AND $4) OR (purpose = 'transcript' AND $5)))
            """))
        {
            shred.Parameters.Add(new() { Value = keyIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            shred.Parameters.Add(new() { Value = paths.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            shred.Parameters.Add(Uuid(callId));
            shred.Parameters.Add(new() { Value = withRecording, NpgsqlDbType = NpgsqlDbType.Boolean });
            shred.Parameters.Add(new() { Value = withTranscript, NpgsqlDbType = NpgsqlDbType.Boolean });
            destroyed = await shred.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // (2) The files.
        var filesDeleted = 0;
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
                filesDeleted++;
            }
        }

        // (3) The rows, the tombstone, the log and the event, together.
        var now = _time.GetUtcNow();
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            var statements = new List<string>();
            if (target is DeletionTarget.Call or DeletionTarget.CallRow)
            {
                // Rows of tables added after this code (webhook deliveries, …) that name the call.
                foreach (var table in await CallLinkedTables.ListAsync(_dataSource, "call_id", cancellationToken).ConfigureAwait(false))
                {
                    if (!KnownCallTables.Contains(table))
                    {
                        statements.Add($"DELETE FROM {table} WHERE call_id = $1");
                    }
                }
            }

            if (withRecording)
            {
                statements.Add("DELETE FROM recordings WHERE call_id = $1");
            }

            if (withTranscript)
            {
                statements.Add("DELETE FROM transcripts WHERE call_id = $1");
            }

            switch (target)
            {
                case DeletionTarget.Recording:
                    statements.Add("UPDATE calls SET recording_deleted_at = $2, deleted_by = $3 WHERE id = $1");
                    break;
                case DeletionTarget.Transcript:
                    statements.Add("UPDATE calls SET transcript_deleted_at = $2, deleted_by = $3 WHERE id = $1");
                    break;
                case DeletionTarget.Call:
                    statements.Add("DELETE FROM call_legs WHERE call_id = $1");
                    statements.Add("DELETE FROM call_attributions WHERE call_id = $1");
                    statements.Add("DELETE FROM call_tags WHERE call_id = $1");
                    statements.Add("DELETE FROM events WHERE call_id = $1");
                    statements.Add(
                        """
                        UPDATE calls SET caller_number = NULL, caller_name = NULL, caller_country = NULL, caller_region = NULL,
                               sip_call_id = '', twilio_call_sid = NULL, value = NULL,
                               recording_deleted_at = coalesce(recording_deleted_at, $2), transcript_deleted_at = coalesce(transcript_deleted_at, $2),
                               deleted_at = $2, deleted_by = $3
                         WHERE id = $1
                        """);
                    break;
                case DeletionTarget.CallRow:
                    statements.Add("DELETE FROM events WHERE call_id = $1");
                    statements.Add("DELETE FROM call_attributions WHERE call_id = $1");
                    statements.Add("DELETE FROM calls WHERE id = $1");
                    break;
            }

            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction);
                command.Parameters.Add(Uuid(callId));
                if (sql.Contains("$2", StringComparison.Ordinal))
                {
                    command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                    command.Parameters.Add(new() { Value = actor, NpgsqlDbType = NpgsqlDbType.Text });
                }

                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var what = WhatOf(target);
            await using (var log = new NpgsqlCommand("INSERT INTO data_removals (organisation_id, call_id, what, reason, removed_by, removed_at) VALUES ($1, $2, $3, $4, $5, $6)", connection, transaction))
            {
                log.Parameters.Add(Uuid(organisationId));
                log.Parameters.Add(Uuid(callId));
                log.Parameters.Add(new() { Value = what, NpgsqlDbType = NpgsqlDbType.Text });
                log.Parameters.Add(new() { Value = reason, NpgsqlDbType = NpgsqlDbType.Text });
                log.Parameters.Add(new() { Value = actor, NpgsqlDbType = NpgsqlDbType.Text });
                log.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                await log.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (target != DeletionTarget.CallRow)
            {
                await using var outbox = new NpgsqlCommand("INSERT INTO events (organisation_id, call_id, kind, occurred_at, payload) VALUES ($1, $2, $3, $4, $5::jsonb)", connection, transaction);
                outbox.Parameters.Add(Uuid(organisationId));
                outbox.Parameters.Add(Uuid(callId));
                outbox.Parameters.Add(new() { Value = EventKind, NpgsqlDbType = NpgsqlDbType.Text });
                outbox.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                outbox.Parameters.Add(new() { Value = System.Text.Json.JsonSerializer.Serialize(new { what, deletedBy = actor, reason }), NpgsqlDbType = NpgsqlDbType.Text });
                await outbox.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        // (4) The audit trail.
        await _audit.RecordAsync(WhatOf(target) + ".deleted", organisationId, actor, callId.ToString(), new { reason, keysDestroyed = destroyed, filesDeleted, recordings, transcripts }, cancellationToken).ConfigureAwait(false);
        return new DeletionResult(true, destroyed, filesDeleted, recordings, transcripts);
    }

    private static string WhatOf(DeletionTarget target) => target switch
    {
        DeletionTarget.Recording => "recording",
        DeletionTarget.Transcript => "transcript",
        _ => "call",
    };

    private static NpgsqlParameter Uuid(Guid value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Uuid };
}
