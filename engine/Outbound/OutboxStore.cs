using Npgsql;
using NpgsqlTypes;
using CallTracking.Engine.Storage;

namespace CallTracking.Engine.Outbound;

/// <summary>
/// The durable outbox (<c>outbound_deliveries</c>, migration 0008). Engines claim due rows with
/// <c>FOR UPDATE SKIP LOCKED</c> and a lease (<c>locked_by</c>, <c>locked_until</c>), so several engines share the
/// table without sending a row twice at once, and a row whose engine died is taken again when its lease runs out.
/// An attempt's result is recorded by one statement that both logs the attempt and moves the row on, guarded by the
/// lease holder: once a 2xx is recorded the row is <c>sent</c>/<c>accepted</c> and no engine claims it again.
/// </summary>
public sealed class OutboxStore
{
    private readonly NpgsqlDataSource _dataSource;

    public OutboxStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Queues <paramref name="delivery"/> inside the caller's transaction; false when it is a conversion already queued for that call.</summary>
    public static async Task<bool> EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NewDelivery delivery, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO outbound_deliveries (id, organisation_id, kind, webhook_id, conversion_action_id, call_id, event_id, event_type, url, body,
                                             status, max_attempts, next_attempt_at, remote_reason, created_at, updated_at, completed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13, $13, CASE WHEN $14::text IS NULL THEN NULL ELSE $13 END)
            ON CONFLICT (conversion_action_id, call_id) WHERE kind = 'conversion' AND replay_of IS NULL DO NOTHING
            """,
            connection,
            transaction);
        command.Parameters.Add(Uuid(Guid.CreateVersion7(now)));
        command.Parameters.Add(Uuid(delivery.OrganisationId));
        command.Parameters.Add(Text(delivery.Kind));
        command.Parameters.Add(Uuid(delivery.WebhookId));
        command.Parameters.Add(Uuid(delivery.ConversionActionId));
        command.Parameters.Add(Uuid(delivery.CallId));
        command.Parameters.Add(new NpgsqlParameter { Value = delivery.EventId is { } id ? id : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(Text(delivery.EventType));
        command.Parameters.Add(Text(delivery.Url));
        command.Parameters.Add(Text(delivery.Body));
        command.Parameters.Add(Text(delivery.RejectedBecause is null ? DeliveryStatus.Queued : DeliveryStatus.Rejected));
        command.Parameters.Add(new NpgsqlParameter { Value = maxAttempts, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(Time(now));
        command.Parameters.Add(Text(delivery.RejectedBecause));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Takes up to <paramref name="limit"/> due deliveries (queued and due, or held past their lease) for <paramref name="engine"/>.</summary>
    public async Task<List<OutboundDelivery>> ClaimAsync(string engine, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            WITH claimed AS (
                UPDATE outbound_deliveries d
                SET status = 'sending', attempts = d.attempts + 1, locked_by = $1, locked_until = $2, updated_at = $3
                WHERE d.id IN (
                    SELECT id FROM outbound_deliveries
                    WHERE (status = 'queued' AND next_attempt_at <= $3) OR (status = 'sending' AND locked_until <= $3)
                    ORDER BY next_attempt_at
                    LIMIT $4
                    FOR UPDATE SKIP LOCKED)
                RETURNING d.*)
            SELECT c.id, c.organisation_id, c.kind, c.event_type, c.url, c.body, c.attempts, c.max_attempts, c.call_id, c.replay_of,
                   w.secret, a.platform, a.settings::text
            FROM claimed c
            LEFT JOIN webhook_endpoints w ON w.id = c.webhook_id
            LEFT JOIN conversion_actions a ON a.id = c.conversion_action_id
            """);
        command.Parameters.Add(Text(engine));
        command.Parameters.Add(Time(now + lease));
        command.Parameters.Add(Time(now));
        command.Parameters.Add(new NpgsqlParameter { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var claimed = new List<OutboundDelivery>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            claimed.Add(new OutboundDelivery(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetInt32(6),
                reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetGuid(8),
                reader.IsDBNull(9) ? null : reader.GetGuid(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return claimed;
    }

    /// <summary>
    /// Records one attempt and moves the delivery on (status, next attempt), in one transaction that only applies
    /// while <paramref name="engine"/> still holds the lease; a conversion that got through also writes
    /// <c>conversion.sent</c> to the events outbox there. Returns the new status, or null when the lease was lost.
    /// </summary>
    public async Task<string?> CompleteAsync(
        OutboundDelivery delivery,
        string engine,
        DeliveryOutcome outcome,
        int? statusCode,
        string? response,
        DateTimeOffset startedAt,
        DateTimeOffset finishedAt,
        TimeSpan retryDelay,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var status = outcome.Kind switch
        {
            OutcomeKind.Sent => DeliveryStatus.Sent,
            OutcomeKind.Accepted => DeliveryStatus.Accepted,
            OutcomeKind.Rejected => DeliveryStatus.Rejected,
            _ => delivery.Attempts >= delivery.MaxAttempts ? DeliveryStatus.Failed : DeliveryStatus.Queued,
        };
        var final = status != DeliveryStatus.Queued;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var update = new NpgsqlCommand(
            """
            WITH moved AS (
                UPDATE outbound_deliveries
                SET status = $3, last_status_code = $4, last_error = $5, remote_reason = CASE WHEN $3 = 'rejected' THEN $5 ELSE remote_reason END,
                    next_attempt_at = $6, locked_by = NULL, locked_until = NULL, updated_at = $7, completed_at = CASE WHEN $8 THEN $7 END
                WHERE id = $1 AND locked_by = $2 AND status = 'sending'
                RETURNING id, attempts)
            INSERT INTO outbound_attempts (delivery_id, attempt, engine, started_at, finished_at, status_code, error, response)
            SELECT id, attempts, $2, $9, $7, $4, $10, $11 FROM moved
            """,
            connection,
            transaction))
        {
            update.Parameters.Add(Uuid(delivery.Id));
            update.Parameters.Add(Text(engine));
            update.Parameters.Add(Text(status));
            update.Parameters.Add(new NpgsqlParameter { Value = statusCode is { } code ? code : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            update.Parameters.Add(Text(outcome.Reason));
            update.Parameters.Add(Time(finishedAt + (final ? TimeSpan.Zero : retryDelay)));
            update.Parameters.Add(Time(finishedAt));
            update.Parameters.Add(new NpgsqlParameter { Value = final, NpgsqlDbType = NpgsqlDbType.Boolean });
            update.Parameters.Add(Time(startedAt));
            update.Parameters.Add(Text(outcome.Kind is OutcomeKind.Sent or OutcomeKind.Accepted ? null : outcome.Reason));
            update.Parameters.Add(Text(response));
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }
        }

        if (delivery.Kind == DeliveryKind.Conversion && status is DeliveryStatus.Sent or DeliveryStatus.Accepted)
        {
            // Last statement before commit, under the event order lock (see CallRecordStore.EventOrderLockKey).
            await using (var order = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({CallRecordStore.EventOrderLockKey})", connection, transaction))
            {
                await order.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO events (organisation_id, call_id, kind, occurred_at, payload)
                SELECT d.organisation_id, d.call_id, 'conversion.sent', $2,
                       jsonb_build_object('deliveryId', d.id, 'callId', d.call_id, 'conversionActionId', d.conversion_action_id,
                                          'platform', a.platform, 'conversionName', a.conversion_name, 'status', d.status)
                FROM outbound_deliveries d LEFT JOIN conversion_actions a ON a.id = d.conversion_action_id
                WHERE d.id = $1
                """,
                connection,
                transaction);
            insert.Parameters.Add(Uuid(delivery.Id));
            insert.Parameters.Add(Time(finishedAt));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return status;
    }

    /// <summary>Hands <paramref name="engine"/>'s deliveries in flight back to the queue (a graceful stop); they are due at once.</summary>
    public async Task<int> ReleaseAsync(string engine, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "UPDATE outbound_deliveries SET status = 'queued', locked_by = NULL, locked_until = NULL, next_attempt_at = $2, updated_at = $2 WHERE locked_by = $1 AND status = 'sending'");
        command.Parameters.Add(Text(engine));
        command.Parameters.Add(Time(now));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues a new delivery with the same request as <paramref name="deliveryId"/> (a replay an operator asked for):
    /// a new delivery id, <c>replay_of</c> pointing at the original, and a fresh retry budget. Null when there is no
    /// such delivery in <paramref name="organisations"/>.
    /// </summary>
    public async Task<Guid?> ReplayAsync(Guid deliveryId, Guid[] organisations, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7(now);
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO outbound_deliveries (id, organisation_id, kind, webhook_id, conversion_action_id, call_id, event_id, event_type, url, body,
                                             status, max_attempts, next_attempt_at, replay_of, created_at, updated_at)
            SELECT $1, organisation_id, kind, webhook_id, conversion_action_id, call_id, event_id, event_type,
                   coalesce((SELECT w.url FROM webhook_endpoints w WHERE w.id = d.webhook_id), url), body,
                   'queued', $4, $5, d.id, $5, $5
            FROM outbound_deliveries d
            WHERE d.id = $2 AND d.organisation_id = any($3) AND d.body <> ''
            """);
        command.Parameters.Add(Uuid(id));
        command.Parameters.Add(Uuid(deliveryId));
        command.Parameters.Add(new NpgsqlParameter { Value = organisations, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = maxAttempts, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(Time(now));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? id : null;
    }

    private static NpgsqlParameter Uuid(Guid? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter Text(string? value) => new() { Value = value ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset value) => new() { Value = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
