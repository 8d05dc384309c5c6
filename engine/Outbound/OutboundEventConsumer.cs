using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Outbound;

/// <summary>
/// Turns the events table (the call outbox, written in the same transaction as the state it describes) into
/// deliveries, per organisation, behind a cursor (<c>outbound_cursors</c>): each step locks the organisation's
/// cursor row (<c>FOR UPDATE SKIP LOCKED</c>, so one engine at a time does an organisation and the others move on),
/// reads the events after it, queues their deliveries and moves the cursor, all in one transaction. A crash before
/// the commit leaves cursor and deliveries as they were; after it, both have moved: no event is lost or turned
/// into deliveries twice. Reading "id &gt; cursor" is safe because event-writing transactions commit in id order
/// (CallRecordStore's event order lock).
/// </summary>
public abstract partial class OutboundEventConsumer : IHostedService, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    // The container disposes this once per registration (as itself and as a hosted service): the second is a no-op.
    private int _disposed;

    private readonly DeliverySignal _signal;

    protected OutboundEventConsumer(NpgsqlDataSource dataSource, DeliverySignal signal, OutboundOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(signal);
        _signal = signal;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        Options = options;
        Time = time;
        Logger = logger;
    }

    protected OutboundOptions Options { get; }

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    /// <summary>The <c>outbound_cursors.consumer</c> value.</summary>
    protected abstract string Consumer { get; }

    /// <summary>SQL listing (organisation_id, start) of organisations this consumer serves; start = the smallest <c>start_event_id</c> of their endpoints/actions.</summary>
    protected abstract string OrganisationsSql { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One pass over every organisation; returns the deliveries queued.</summary>
    public async Task<int> StepAsync(CancellationToken cancellationToken)
    {
        var organisations = new List<(Guid Id, long Start)>();
        await using (var command = _dataSource.CreateCommand(OrganisationsSql))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                organisations.Add((reader.GetGuid(0), reader.GetInt64(1)));
            }
        }

        var queued = 0;
        foreach (var (organisation, start) in organisations)
        {
            queued += await StepOrganisationAsync(organisation, start, cancellationToken).ConfigureAwait(false);
        }

        if (queued > 0)
        {
            _signal.Wake();
        }

        return queued;
    }

    /// <summary>Queues the deliveries <paramref name="events"/> (one organisation's, in id order) call for; returns how many.</summary>
    protected abstract Task<int> HandleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid organisation, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken);

    private async Task<int> StepOrganisationAsync(Guid organisation, long start, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // A new consumer starts at the last event committed when its first endpoint/action was made (migration
        // 0008's trigger): what happened since is delivered, history is not.
        await using (var create = new NpgsqlCommand(
            """
            INSERT INTO outbound_cursors (organisation_id, consumer, last_event_id)
            VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING
            """,
            connection,
            transaction))
        {
            create.Parameters.Add(new() { Value = organisation, NpgsqlDbType = NpgsqlDbType.Uuid });
            create.Parameters.Add(new() { Value = Consumer, NpgsqlDbType = NpgsqlDbType.Text });
            create.Parameters.Add(new() { Value = start, NpgsqlDbType = NpgsqlDbType.Bigint });
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long cursor;
        await using (var lockCursor = new NpgsqlCommand(
            "SELECT last_event_id FROM outbound_cursors WHERE organisation_id = $1 AND consumer = $2 FOR UPDATE SKIP LOCKED", connection, transaction))
        {
            lockCursor.Parameters.Add(new() { Value = organisation, NpgsqlDbType = NpgsqlDbType.Uuid });
            lockCursor.Parameters.Add(new() { Value = Consumer, NpgsqlDbType = NpgsqlDbType.Text });
            if (await lockCursor.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long last)
            {
                // Another engine is doing this organisation right now.
                return 0;
            }

            cursor = last;
        }

        var events = new List<StoredEvent>();
        await using (var read = new NpgsqlCommand(
            "SELECT id, call_id, kind, occurred_at, payload::text FROM events WHERE organisation_id = $1 AND id > $2 ORDER BY id LIMIT $3", connection, transaction))
        {
            read.Parameters.Add(new() { Value = organisation, NpgsqlDbType = NpgsqlDbType.Uuid });
            read.Parameters.Add(new() { Value = cursor, NpgsqlDbType = NpgsqlDbType.Bigint });
            read.Parameters.Add(new() { Value = Options.EventBatch, NpgsqlDbType = NpgsqlDbType.Integer });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add(new StoredEvent(
                    reader.GetInt64(0),
                    organisation,
                    reader.IsDBNull(1) ? null : reader.GetGuid(1),
                    reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetString(4)));
            }
        }

        if (events.Count == 0)
        {
            return 0;
        }

        var queued = await HandleAsync(connection, transaction, organisation, events, cancellationToken).ConfigureAwait(false);
        await using (var advance = new NpgsqlCommand(
            "UPDATE outbound_cursors SET last_event_id = $3, updated_at = now() WHERE organisation_id = $1 AND consumer = $2", connection, transaction))
        {
            advance.Parameters.Add(new() { Value = organisation, NpgsqlDbType = NpgsqlDbType.Uuid });
            advance.Parameters.Add(new() { Value = Consumer, NpgsqlDbType = NpgsqlDbType.Text });
            advance.Parameters.Add(new() { Value = events[^1].Id, NpgsqlDbType = NpgsqlDbType.Bigint });
            await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return queued;
    }

    private async Task RunAsync()
    {
        var failing = false;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                while (await StepAsync(_stop.Token).ConfigureAwait(false) > 0)
                {
                    // A full batch may have more behind it: go again without waiting.
                }

                if (failing)
                {
                    failing = false;
                    LogRecovered(Logger, Consumer);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                if (!failing)
                {
                    failing = true;
                    LogFailed(Logger, e, Consumer);
                }
            }

            try
            {
                await Task.Delay(Options.PollInterval, Time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbound {Consumer}: cannot read events; retrying every poll interval")]
    private static partial void LogFailed(ILogger logger, Exception exception, string consumer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound {Consumer}: reading events again")]
    private static partial void LogRecovered(ILogger logger, string consumer);
}
