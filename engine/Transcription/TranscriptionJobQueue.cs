using System.Text.Json.Nodes;
using CallTracking.Engine.Storage;
using Npgsql;

namespace CallTracking.Engine.Transcription;

/// <summary>
/// The durable queue of <c>transcription_jobs</c>. A worker claims a due job with <c>FOR UPDATE SKIP LOCKED</c>
/// (workers on any machine never take the same one) and holds it by a lease (<c>locked_until</c>) it renews while
/// it works; a worker that dies stops renewing and the job is claimed again once the lease has run out. Failures are
/// retried with exponential back-off until <see cref="TranscriptionSettings.MaxAttempts"/>, then the job and the
/// call's transcript are marked failed with the error.
/// </summary>
public sealed class TranscriptionJobQueue(NpgsqlDataSource dataSource, CallRecordStore store, TranscriptionSettings settings, Privacy.TranscriptCipher? cipher = null)
{
    /// <summary>Claims the oldest due job (queued and due, or running with an expired lease), or returns null.</summary>
    public async Task<TranscriptionJob?> ClaimAsync(string workerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE transcription_jobs j SET state = 'running', attempts = j.attempts + 1, locked_by = $1,
                locked_until = now() + $2, updated_at = now()
            FROM (SELECT id FROM transcription_jobs
                  WHERE (state = 'queued' AND next_attempt_at <= now()) OR (state = 'running' AND locked_until < now())
                  ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED) due,
                 calls c, recordings r
            WHERE j.id = due.id AND c.id = j.call_id AND r.id = j.recording_id
            RETURNING j.id, j.call_id, j.recording_id, c.organisation_id, r.path, j.attempts
            """);
        command.Parameters.Add(new() { Value = workerId });
        command.Parameters.Add(new() { Value = settings.Lease });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new TranscriptionJob(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5));
        }
    }

    /// <summary>
    /// How long until a job becomes due that a claim now would not find (a retry's back-off, a running job's lease
    /// running out), or null when none is waiting: an idle worker sleeps until then at most.
    /// </summary>
    public async Task<TimeSpan?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT extract(epoch FROM least(
                (SELECT min(next_attempt_at) FROM transcription_jobs WHERE state = 'queued'),
                (SELECT min(locked_until) FROM transcription_jobs WHERE state = 'running')) - now())::float8
            """);
        var seconds = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return seconds is double s ? TimeSpan.FromSeconds(Math.Max(0, s)) : null;
    }

    /// <summary>Extends the lease; false when the job is no longer this worker's (its lease ran out and another took it).</summary>
    public async Task<bool> RenewAsync(TranscriptionJob job, string workerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var command = dataSource.CreateCommand(
            "UPDATE transcription_jobs SET locked_until = now() + $3, updated_at = now() WHERE id = $1 AND locked_by = $2 AND state = 'running'");
        command.Parameters.Add(new() { Value = job.Id });
        command.Parameters.Add(new() { Value = workerId });
        command.Parameters.Add(new() { Value = settings.Lease });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Stores the transcript and its segments, marks the job done, applies the keyword rules and writes
    /// <c>transcript.ready</c> (then any <c>call.tagged</c>) in one transaction; returns the transcript id, or null
    /// when the job is no longer this worker's (nothing is written).
    /// </summary>
    public Task<Guid?> CompleteAsync(TranscriptionJob job, string workerId, TranscriptionResult result, string? model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(result);
        return store.WriteAsync<Guid?>(
            async (connection, transaction, events) =>
            {
                await using (var done = new NpgsqlCommand(
                    "UPDATE transcription_jobs SET state = 'done', locked_by = NULL, locked_until = NULL, last_error = NULL, updated_at = now() WHERE id = $1 AND locked_by = $2 AND state = 'running'",
                    connection,
                    transaction))
                {
                    done.Parameters.Add(new() { Value = job.Id });
                    done.Parameters.Add(new() { Value = workerId });
                    if (await done.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        return null;
                    }
                }

                // Privacy before storage: paused spans masked, card and personal data redacted (Privacy/TranscriptPrivacy).
                var paused = new List<(long StartMs, long EndMs)>();
                await using (var spans = new NpgsqlCommand("SELECT (s->>'startMs')::bigint, (s->>'endMs')::bigint FROM recordings r, jsonb_array_elements(r.paused_spans) s WHERE r.id = $1", connection, transaction))
                {
                    spans.Parameters.Add(new() { Value = job.RecordingId });
                    await using var reader = await spans.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        paused.Add((reader.GetInt64(0), reader.GetInt64(1)));
                    }
                }

                var safe = result with { Segments = Privacy.TranscriptPrivacy.Apply(result.Segments, paused).Segments };

                var transcriptId = Guid.CreateVersion7();

                // A failed transcript left by an earlier run of this recording's job is replaced.
                await using (var replace = new NpgsqlCommand("DELETE FROM transcripts WHERE recording_id = $1", connection, transaction))
                {
                    replace.Parameters.Add(new() { Value = job.RecordingId });
                    await replace.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Encrypted at rest when the engine has a master key (Privacy.TranscriptCipher): the text is sealed with
                // the transcript's own data key, stored in this transaction; the search vector keeps the words only.
                var sealing = cipher?.NewKey(job.CallId);
                if (sealing is { } newKey)
                {
                    await cipher!.Keys.StoreAsync(newKey.Row, cancellationToken, connection, transaction).ConfigureAwait(false);
                }

                await using (var insert = new NpgsqlCommand(
                    """
                    INSERT INTO transcripts (id, call_id, recording_id, status, language, model, duration_ms, full_text, search, data_key_id, full_text_sealed)
                    VALUES ($1, $2, $3, 'ready', $4, $5, $6, $7, to_tsvector('simple', $8), $9, $10)
                    """,
                    connection,
                    transaction))
                {
                    insert.Parameters.Add(new() { Value = transcriptId });
                    insert.Parameters.Add(new() { Value = job.CallId });
                    insert.Parameters.Add(new() { Value = job.RecordingId });
                    insert.Parameters.Add(new() { Value = (object?)safe.Language ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                    insert.Parameters.Add(new() { Value = (object?)model ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                    insert.Parameters.Add(new() { Value = safe.DurationMs });
                    insert.Parameters.Add(new() { Value = sealing is null ? safe.FullText : string.Empty });
                    insert.Parameters.Add(new() { Value = safe.FullText, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                    insert.Parameters.Add(new() { Value = (object?)sealing?.Row.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
                    insert.Parameters.Add(new() { Value = sealing is { } k ? Privacy.TranscriptCipher.Seal(k.Key, k.Row.Id, safe.FullText) : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (safe.Segments.Count > 0)
                {
                    var batch = new NpgsqlBatch(connection, transaction);
                    await using (batch.ConfigureAwait(false))
                    {
                        foreach (var segment in safe.Segments)
                        {
                            var row = new NpgsqlBatchCommand("INSERT INTO transcript_segments (transcript_id, speaker, start_ms, end_ms, text, confidence, text_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7)");
                            row.Parameters.Add(new() { Value = transcriptId });
                            row.Parameters.Add(new() { Value = TranscriptSegment.SpeakerText(segment.Speaker) });
                            row.Parameters.Add(new() { Value = segment.StartMs });
                            row.Parameters.Add(new() { Value = segment.EndMs });
                            row.Parameters.Add(new() { Value = sealing is null ? segment.Text : string.Empty });
                            row.Parameters.Add(new() { Value = segment.Confidence });
                            row.Parameters.Add(new() { Value = sealing is { } k ? Privacy.TranscriptCipher.Seal(k.Key, k.Row.Id, segment.Text) : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
                            batch.BatchCommands.Add(row);
                        }

                        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                if (sealing is { } used)
                {
                    System.Security.Cryptography.CryptographicOperations.ZeroMemory(used.Key);
                }

                var payload = new JsonObject
                {
                    ["callId"] = job.CallId,
                    ["transcriptId"] = transcriptId,
                    ["recordingId"] = job.RecordingId,
                    ["language"] = safe.Language,
                    ["segments"] = safe.Segments.Count,
                    ["durationMs"] = safe.DurationMs,
                };
                await events(job.OrganisationId, job.CallId, CallEventKinds.TranscriptReady, payload.ToJsonString(), cancellationToken).ConfigureAwait(false);
                await KeywordRules.ApplyAsync(connection, transaction, events, job.OrganisationId, job.CallId, safe.Segments, cancellationToken).ConfigureAwait(false);
                return transcriptId;
            },
            cancellationToken);
    }

    /// <summary>
    /// Records a failed attempt: queued again after <see cref="TranscriptionSettings.RetryDelay"/> × 2^(attempts−1),
    /// or, at <see cref="TranscriptionSettings.MaxAttempts"/>, failed for good with a failed transcript carrying
    /// <paramref name="error"/> and a <c>transcript.failed</c> event (reason, attempts), in one transaction. Returns
    /// true when the job failed for good.
    /// </summary>
    public Task<bool> FailAsync(TranscriptionJob job, string workerId, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var final = job.Attempts >= settings.MaxAttempts;
        var delay = TimeSpan.FromTicks((long)Math.Min(TimeSpan.FromDays(1).Ticks, settings.RetryDelay.Ticks * Math.Pow(2, Math.Max(0, job.Attempts - 1))));
        return store.WriteAsync(
            async (connection, transaction, events) =>
            {
                await using (var update = new NpgsqlCommand(
                    """
                    UPDATE transcription_jobs SET state = CASE WHEN $3 THEN 'failed' ELSE 'queued' END, next_attempt_at = now() + $4,
                        locked_by = NULL, locked_until = NULL, last_error = $5, updated_at = now()
                    WHERE id = $1 AND (locked_by = $2 OR locked_by IS NULL)
                    """,
                    connection,
                    transaction))
                {
                    update.Parameters.Add(new() { Value = job.Id });
                    update.Parameters.Add(new() { Value = workerId });
                    update.Parameters.Add(new() { Value = final });
                    update.Parameters.Add(new() { Value = delay });
                    update.Parameters.Add(new() { Value = error });
                    if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        return false;
                    }
                }

                if (!final)
                {
                    return false;
                }

                await using (var failed = new NpgsqlCommand(
                    """
                    INSERT INTO transcripts (call_id, recording_id, status, error) VALUES ($1, $2, 'failed', $3)
                    ON CONFLICT (recording_id) DO UPDATE SET status = 'failed', error = excluded.error, updated_at = now()
                    """,
                    connection,
                    transaction))
                {
                    failed.Parameters.Add(new() { Value = job.CallId });
                    failed.Parameters.Add(new() { Value = job.RecordingId });
                    failed.Parameters.Add(new() { Value = error });
                    await failed.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // The operator's signal that this call will have no transcript unless someone acts (GetTranscript
                // says failed with the same reason).
                var payload = new JsonObject
                {
                    ["callId"] = job.CallId,
                    ["recordingId"] = job.RecordingId,
                    ["reason"] = error,
                    // A job claimed once more after its last allowed attempt's worker died was not tried again.
                    ["attempts"] = Math.Min(job.Attempts, settings.MaxAttempts),
                };
                await events(job.OrganisationId, job.CallId, CallEventKinds.TranscriptFailed, payload.ToJsonString(), cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }
}
