using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Storage;

/// <summary>
/// Writes the life of a call. Each method writes the state and the event that describes it in one transaction
/// (the outbox): a reader of <c>events</c> never sees an event whose state is missing, nor state without its event.
/// Methods touch the database directly; SIP and media threads go through <see cref="CallRecordWriter"/> instead.
/// </summary>
public sealed class CallRecordStore
{
    /// <summary>The transaction-scoped advisory lock that orders event commits by id ("CTEVENTS" in ASCII).</summary>
    public const long EventOrderLockKey = 0x4354_4556_454E_5453;

    private readonly NpgsqlDataSource _dataSource;

    public CallRecordStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>When set, <see cref="AddRecordingAsync"/> queues a transcription job for each recording made without error, in the same transaction.</summary>
    public bool EnqueueTranscription { get; init; }

    /// <summary>When set, <see cref="StartCallAsync"/> attributes the call in its transaction and writes <c>call.attributed</c> after <c>call.started</c>.</summary>
    public CallAttribution? Attribution { get; init; }

    /// <summary>Inserts the call, its inbound leg and <c>call.started</c>; returns <see cref="CallStarted.CallId"/>.</summary>
    public async Task<Guid> StartCallAsync(CallStarted call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var scope = await BeginAsync(cancellationToken).ConfigureAwait(false);
        await scope.ExecuteAsync(
            """
            INSERT INTO calls (id, organisation_id, tracking_number_id, tracking_number, campaign_id, trunk, sip_call_id,
                               twilio_call_sid, caller_number, caller_name, caller_country, caller_region, started_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """,
            cancellationToken,
            call.CallId, call.OrganisationId, call.TrackingNumberId, call.TrackingNumber, call.CampaignId, call.Trunk, call.SipCallId,
            call.TwilioCallSid, call.CallerNumber, call.CallerName, call.CallerCountry, call.CallerRegion, call.StartedAt.ToUniversalTime()).ConfigureAwait(false);
        await scope.ExecuteAsync(
            "INSERT INTO call_legs (call_id, direction, destination, trunk, sip_call_id, started_at) VALUES ($1, 'inbound', $2, $3, $4, $5)",
            cancellationToken,
            call.CallId, call.TrackingNumber, call.Trunk, call.SipCallId, call.StartedAt.ToUniversalTime()).ConfigureAwait(false);
        var attributed = Attribution is null ? null : await AttributeAsync(scope, call, cancellationToken).ConfigureAwait(false);
        var payload = new CallStartedPayload(
            call.CallId, call.TrackingNumber, call.TrackingNumberId, call.CampaignId, call.Trunk,
            call.CallerNumber, call.CallerName, call.CallerCountry, call.CallerRegion, call.StartedAt);
        await scope.AddEventAsync(call.OrganisationId, call.CallId, CallEventKinds.Started, call.StartedAt, JsonSerializer.Serialize(payload, EventPayloadJson.Default.CallStartedPayload), cancellationToken).ConfigureAwait(false);
        if (attributed is not null)
        {
            await scope.AddEventAsync(call.OrganisationId, call.CallId, CallEventKinds.Attributed, call.StartedAt, attributed, cancellationToken).ConfigureAwait(false);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return call.CallId;
    }

    /// <summary>Runs <see cref="Attribution"/> under a savepoint; a database failure rolls back to it and the call starts unattributed.</summary>
    private async Task<string?> AttributeAsync(Scope scope, CallStarted call, CancellationToken cancellationToken)
    {
        await scope.Transaction.SaveAsync("attribution", cancellationToken).ConfigureAwait(false);
        try
        {
            var payload = await Attribution!(scope.Connection, scope.Transaction, call, cancellationToken).ConfigureAwait(false);
            await scope.Transaction.ReleaseAsync("attribution", cancellationToken).ConfigureAwait(false);
            return payload;
        }
        catch (PostgresException)
        {
            await scope.Transaction.RollbackAsync("attribution", cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Writes an event that changes no call state (<c>call.ringing</c>, <c>call.dtmf</c>, ...); returns its id.</summary>
    public async Task<long> AppendEventAsync(Guid callId, Guid organisationId, string kind, JsonNode? payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        await using var scope = await BeginAsync(cancellationToken).ConfigureAwait(false);
        var id = await scope.AddEventAsync(organisationId, callId, kind, null, payload?.ToJsonString() ?? "{}", cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary><see cref="AppendEventAsync(Guid, Guid, string, JsonNode, CancellationToken)"/> with a payload serialised by <paramref name="payloadType"/> (source-generated JSON).</summary>
    public async Task<long> AppendEventAsync<T>(Guid callId, Guid organisationId, string kind, T payload, JsonTypeInfo<T> payloadType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(payloadType);
        await using var scope = await BeginAsync(cancellationToken).ConfigureAwait(false);
        var id = await scope.AddEventAsync(organisationId, callId, kind, null, JsonSerializer.Serialize(payload, payloadType), cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Sets the call's and its inbound leg's answer time and writes <c>call.answered</c>.</summary>
    public async Task MarkAnsweredAsync(CallAnswered answered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answered);
        await using var scope = await BeginAsync(cancellationToken).ConfigureAwait(false);
        var rows = await scope.ExecuteAsync(
            "UPDATE calls SET answered_at = $2 WHERE id = $1 AND organisation_id = $3",
            cancellationToken,
            answered.CallId, answered.AnsweredAt.ToUniversalTime(), answered.OrganisationId).ConfigureAwait(false);
        RequireCall(rows, answered.CallId);
        await scope.ExecuteAsync(
            "UPDATE call_legs SET answered_at = $2 WHERE call_id = $1 AND direction = 'inbound'",
            cancellationToken,
            answered.CallId, answered.AnsweredAt.ToUniversalTime()).ConfigureAwait(false);
        var payload = JsonSerializer.Serialize(new CallAnsweredPayload(answered.CallId, answered.AnsweredAt), EventPayloadJson.Default.CallAnsweredPayload);
        await scope.AddEventAsync(answered.OrganisationId, answered.CallId, CallEventKinds.Answered, answered.AnsweredAt, payload, cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the call (end time, ring and talk seconds, disposition, who hung up, quality), its inbound leg, and writes <c>call.ended</c>.</summary>
    public async Task EndCallAsync(CallEnded ended, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        await using var scope = await BeginAsync(cancellationToken).ConfigureAwait(false);
        decimal? ring = null, talk = null;
        await using (var command = scope.Command(
            """
            UPDATE calls SET
                ended_at = $2,
                ring_seconds = round(extract(epoch FROM (coalesce(answered_at, $2) - started_at))::numeric, 3),
                talk_seconds = CASE WHEN answered_at IS NULL THEN 0 ELSE round(extract(epoch FROM ($2 - answered_at))::numeric, 3) END,
                disposition = $3, hangup_by = $4, sip_reason = $5, packets_lost = $6, jitter_ms = $7, mos = $8
            WHERE id = $1 AND organisation_id = $9
            RETURNING ring_seconds, talk_seconds
            """,
            ended.CallId, ended.EndedAt.ToUniversalTime(), Text(ended.Disposition), Text(ended.HangupBy), ended.SipReason,
            ended.PacketsLost, ended.JitterMs, ended.Mos, ended.OrganisationId))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    RequireCall(0, ended.CallId);
                }

                ring = reader.IsDBNull(0) ? null : reader.GetDecimal(0);
                talk = reader.IsDBNull(1) ? null : reader.GetDecimal(1);
            }
        }

        await scope.ExecuteAsync(
            "UPDATE call_legs SET ended_at = $2, reason = $3 WHERE call_id = $1 AND direction = 'inbound'",
            cancellationToken,
            ended.CallId, ended.EndedAt.ToUniversalTime(), ended.SipReason).ConfigureAwait(false);
        var payload = JsonSerializer.Serialize(
            new CallEndedPayload(ended.CallId, ended.EndedAt, Text(ended.Disposition), Text(ended.HangupBy), ended.SipReason, ring, talk),
            EventPayloadJson.Default.CallEndedPayload);
        await scope.AddEventAsync(ended.OrganisationId, ended.CallId, CallEventKinds.Ended, ended.EndedAt, payload, cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts a recording of the call and writes <c>recording.ready</c>; returns <see cref="RecordingReady.RecordingId"/>.</summary>
    public async Task<Guid> AddRecordingAsync(RecordingReady recording, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recording);
        await using var scope = await BeginAsync(cancellationToken).ConfigureAwait(false);

        // A recording deleted while its call was still live (its key shredded, its file unlinked under the recorder)
        // stays deleted: no row pointing at the missing file, no recording.ready, no transcription job.
        var rows = await scope.ExecuteAsync(
            """
            INSERT INTO recordings (id, call_id, path, duration_ms, bytes, codec, channels, error, paused_spans)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb
            WHERE NOT EXISTS (SELECT 1 FROM calls WHERE id = $2 AND (recording_deleted_at IS NOT NULL OR deleted_at IS NOT NULL))
            """,
            cancellationToken,
            recording.RecordingId, recording.CallId, recording.Path, recording.DurationMs, recording.Bytes, recording.Codec, recording.Channels, recording.Error, recording.PausedSpansJson).ConfigureAwait(false);
        if (rows == 0)
        {
            if (recording.Path is { } leftover && File.Exists(leftover))
            {
                File.Delete(leftover);
            }

            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return recording.RecordingId;
        }

        var payload = JsonSerializer.Serialize(
            new RecordingReadyPayload(recording.CallId, recording.RecordingId, recording.Path, recording.DurationMs, recording.Bytes, recording.Codec, recording.Channels, recording.Error),
            EventPayloadJson.Default.RecordingReadyPayload);
        await scope.AddEventAsync(recording.OrganisationId, recording.CallId, CallEventKinds.RecordingReady, null, payload, cancellationToken).ConfigureAwait(false);
        if (EnqueueTranscription && recording.Error is null && recording.Path is not null)
        {
            await scope.ExecuteAsync("INSERT INTO transcription_jobs (call_id, recording_id) VALUES ($1, $2)", cancellationToken, recording.CallId, recording.RecordingId).ConfigureAwait(false);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return recording.RecordingId;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction whose events go through the outbox path of every other method
    /// here (<see cref="OutboxEvents"/>), and commits when it returns: state written by others (transcripts, tags)
    /// and its events commit together or not at all.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, OutboxEvents, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = await BeginAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(scope.Connection, scope.Transaction, (organisationId, callId, kind, payloadJson, token) => scope.AddEventAsync(organisationId, callId, kind, null, payloadJson, token)).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Inserts an outbound leg (no event: dialling is not news until the leg is bridged); returns <see cref="CallLegStarted.LegId"/>.</summary>
    public async Task<Guid> AddLegAsync(CallLegStarted leg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leg);
        await using var scope = await BeginAsync(cancellationToken).ConfigureAwait(false);
        var rows = await scope.ExecuteAsync(
            """
            INSERT INTO call_legs (id, call_id, direction, destination, trunk, sip_call_id, started_at)
            SELECT $1, id, 'outbound', $3, $4, $5, $6 FROM calls WHERE id = $2 AND organisation_id = $7
            """,
            cancellationToken,
            leg.LegId, leg.CallId, leg.Destination, leg.Trunk, leg.SipCallId, leg.StartedAt.ToUniversalTime(), leg.OrganisationId).ConfigureAwait(false);
        RequireCall(rows, leg.CallId);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return leg.LegId;
    }

    /// <summary>Updates an outbound leg (null fields unchanged); writes <c>call.bridged</c> when <see cref="CallLegUpdate.Bridged"/>.</summary>
    public async Task UpdateLegAsync(CallLegUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var scope = await BeginAsync(cancellationToken).ConfigureAwait(false);
        string? destination = null;
        DateTimeOffset? answeredAt = null;
        await using (var command = scope.Command(
            """
            UPDATE call_legs l SET
                answered_at = coalesce($3, l.answered_at),
                ended_at = coalesce($4, l.ended_at),
                final_status = coalesce($5, l.final_status),
                reason = coalesce($6, l.reason),
                sip_call_id = coalesce($8, l.sip_call_id)
            FROM calls c
            WHERE l.id = $1 AND l.call_id = $2 AND c.id = l.call_id AND c.organisation_id = $7
            RETURNING l.destination, l.answered_at
            """,
            update.LegId, update.CallId, update.AnsweredAt?.ToUniversalTime(), update.EndedAt?.ToUniversalTime(), update.FinalStatus, update.Reason, update.OrganisationId, update.SipCallId))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"leg {update.LegId} of call {update.CallId} does not exist");
                }

                destination = reader.IsDBNull(0) ? null : reader.GetString(0);
                answeredAt = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
            }
        }

        if (update.Bridged)
        {
            var payload = JsonSerializer.Serialize(new CallBridgedPayload(update.CallId, update.LegId, destination, answeredAt), EventPayloadJson.Default.CallBridgedPayload);
            await scope.AddEventAsync(update.OrganisationId, update.CallId, CallEventKinds.Bridged, update.AnsweredAt, payload, cancellationToken).ConfigureAwait(false);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static string Text(CallDisposition disposition) => disposition switch
    {
        CallDisposition.Answered => "answered",
        CallDisposition.NoAnswer => "no-answer",
        CallDisposition.Busy => "busy",
        CallDisposition.Failed => "failed",
        CallDisposition.Voicemail => "voicemail",
        CallDisposition.Abandoned => "abandoned",
        _ => throw new ArgumentOutOfRangeException(nameof(disposition), disposition, null),
    };

    internal static string? Text(HangupParty? party) => party switch
    {
        null => null,
        HangupParty.Caller => "caller",
        HangupParty.Callee => "callee",
        HangupParty.Engine => "engine",
        _ => throw new ArgumentOutOfRangeException(nameof(party), party, null),
    };

    private static void RequireCall(int rows, Guid callId)
    {
        if (rows == 0)
        {
            throw new InvalidOperationException($"call {callId} does not exist (or belongs to another organisation)");
        }
    }

    private async Task<Scope> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new Scope(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>One connection and its transaction; disposing without commit rolls back.</summary>
    private sealed class Scope(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public NpgsqlConnection Connection => connection;

        public NpgsqlTransaction Transaction => transaction;

        public NpgsqlCommand Command(string sql, params object?[] values)
        {
            var command = new NpgsqlCommand(sql, connection, transaction);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            return command;
        }

        public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] values)
        {
            await using var command = Command(sql, values);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Inserts the outbox row. Callers make it the transaction's last statement before commit, because it
        /// first takes <see cref="EventOrderLockKey"/> until commit: ids come from an identity (a sequence, handed out
        /// outside transaction order), so without the lock a transaction holding id 11 could commit before one
        /// holding id 10, and a feed reading "id &gt; 10" after 11 was seen would skip 10 forever. Holding one lock
        /// from taking the id to commit makes event-writing transactions commit in id order (PostgreSQL releases
        /// locks only after the commit is visible), so "id &gt; cursor" never skips. The cost is that event commits
        /// are serialised; the lock is held for one insert and the commit.
        /// </summary>
        public async Task<long> AddEventAsync(Guid organisationId, Guid? callId, string kind, DateTimeOffset? occurredAt, string payloadJson, CancellationToken cancellationToken)
        {
            await using (var order = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({EventOrderLockKey})", connection, transaction))
            {
                await order.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var command = new NpgsqlCommand(
                "INSERT INTO events (organisation_id, call_id, kind, occurred_at, payload) VALUES ($1, $2, $3, coalesce($4, now()), $5) RETURNING id",
                connection,
                transaction);
            command.Parameters.Add(new() { Value = organisationId });
            command.Parameters.Add(new() { Value = callId is { } id ? id : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new() { Value = kind });
            command.Parameters.Add(new() { Value = occurredAt is { } at ? at.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new() { Value = payloadJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
