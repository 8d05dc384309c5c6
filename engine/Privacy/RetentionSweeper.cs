using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// Enforces retention continuously: every <see cref="RetentionOptions.Interval"/> (by the injected clock) it finds
/// the calls whose recording, transcript or record is older than its campaign's retention (or, when the campaign
/// sets none, its organisation's) and deletes them through <see cref="DataDeletion"/> (keys shredded first), in
/// batches, as <c>retention</c>; each removal is a <c>data_removals</c> row and an audit entry. Calls still in
/// progress are never touched. A null retention keeps forever.
/// </summary>
public sealed partial class RetentionSweeper(
    DataDeletion deletion,
    NpgsqlDataSource dataSource,
    RetentionOptions options,
    TimeProvider time,
    ILogger<RetentionSweeper> logger) : BackgroundService
{
    public const string Actor = "retention";

    private const string Due =
        """
        SELECT c.id FROM calls c
          JOIN organisations o ON o.id = c.organisation_id
          LEFT JOIN campaigns k ON k.id = c.campaign_id
         WHERE c.ended_at IS NOT NULL
           AND coalesce(k.{0}, o.{0}) IS NOT NULL
           AND c.started_at < $1 - make_interval(days => coalesce(k.{0}, o.{0}))
           AND {1}
         ORDER BY c.started_at
         LIMIT $2
        """;

    /// <summary>One sweep, now by the clock: everything due is removed, batch after batch.</summary>
    public async Task<RetentionSweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var recordings = await SweepKindAsync(now, "retain_recordings_days", "EXISTS (SELECT 1 FROM recordings r WHERE r.call_id = c.id)", DeletionTarget.Recording, cancellationToken).ConfigureAwait(false);
        var transcripts = await SweepKindAsync(now, "retain_transcripts_days", "EXISTS (SELECT 1 FROM transcripts t WHERE t.call_id = c.id)", DeletionTarget.Transcript, cancellationToken).ConfigureAwait(false);
        var calls = await SweepKindAsync(now, "retain_calls_days", "TRUE", DeletionTarget.CallRow, cancellationToken).ConfigureAwait(false);
        var result = new RetentionSweepResult(recordings, transcripts, calls);
        if (recordings + transcripts + calls > 0)
        {
            LogSwept(logger, recordings, transcripts, calls);
        }

        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or UnauthorizedAccessException or TimeoutException or InvalidOperationException)
            {
                LogSweepFailed(logger, e.Message);
            }

            try
            {
                await Task.Delay(options.Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<int> SweepKindAsync(DateTimeOffset now, string column, string exists, DeletionTarget target, CancellationToken cancellationToken)
    {
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, Due, column, exists);
        var removed = 0;
        while (true)
        {
            var ids = new List<Guid>();
            await using (var command = dataSource.CreateCommand(sql))
            {
                command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                command.Parameters.Add(new() { Value = options.BatchSize, NpgsqlDbType = NpgsqlDbType.Integer });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    ids.Add(reader.GetGuid(0));
                }
            }

            foreach (var id in ids)
            {
                await deletion.DeleteAsync(id, target, Actor, "retention", scope: null, cancellationToken).ConfigureAwait(false);
                removed++;
            }

            if (ids.Count < options.BatchSize)
            {
                return removed;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: removed {Recordings} recordings, {Transcripts} transcripts, {Calls} call records")]
    private static partial void LogSwept(ILogger logger, int recordings, int transcripts, int calls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed ({Reason}); trying again at the next sweep")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
