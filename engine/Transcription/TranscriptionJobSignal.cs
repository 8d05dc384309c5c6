using Npgsql;

namespace CallTracking.Engine.Transcription;

/// <summary>
/// Wakes this process's idle transcription workers when a job is queued anywhere: a dedicated connection LISTENs on
/// <see cref="NotifyChannel"/> (the <c>transcription_jobs</c> triggers of migration 0006). A worker takes
/// <see cref="Current"/> before it looks for a job and waits on it (with its fallback poll as a time-out) when it
/// found none, so a notification between the look and the wait is not lost. A broken connection is retried with
/// back-off; while it is down the workers' poll still finds every job, only later.
/// </summary>
public sealed partial class TranscriptionJobSignal(NpgsqlDataSource dataSource, TimeProvider time, ILogger<TranscriptionJobSignal> logger)
{
    /// <summary>The PostgreSQL notification channel the <c>transcription_jobs</c> triggers notify.</summary>
    public const string NotifyChannel = "calltracking_transcription_jobs";

    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    // Replaced (and completed) on every notification: each waiter holds the generation it looked in.
    private TaskCompletionSource _generation = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _notifications;

    /// <summary>Completes at the next notification (or reconnection) after it was read.</summary>
    public Task Current => Volatile.Read(ref _generation).Task;

    /// <summary>Notifications heard since start.</summary>
    public long Notifications => Interlocked.Read(ref _notifications);

    /// <summary>Wakes every waiter of the current generation.</summary>
    public void Wake()
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _generation, next).TrySetResult();
    }

    /// <summary>LISTENs until <paramref name="stoppingToken"/> fires, reconnecting when the connection breaks.</summary>
    public async Task ListenAsync(CancellationToken stoppingToken)
    {
        var delay = FirstReconnectDelay;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var connection = await dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, _) =>
                    {
                        Interlocked.Increment(ref _notifications);
                        Wake();
                    };
                    await using (var listen = new NpgsqlCommand($"LISTEN {NotifyChannel}", connection))
                    {
                        await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                    }

                    if (failing)
                    {
                        failing = false;
                        LogListenRecovered();
                    }

                    delay = FirstReconnectDelay;

                    // Jobs queued while nobody listened are looked for now rather than at the next poll.
                    Wake();
                    while (true)
                    {
                        if (!await connection.WaitAsync(KeepAlive, stoppingToken).ConfigureAwait(false))
                        {
                            // Silence: make sure the server is still there (a dead TCP peer never fails a wait).
                            await using var ping = new NpgsqlCommand("SELECT 1", connection);
                            await ping.ExecuteScalarAsync(stoppingToken).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                failing = true;
                LogListenFailed(e, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Transcription: LISTEN " + NotifyChannel + " failed; idle workers fall back to polling. Reconnecting in {DelaySeconds} s")]
    private partial void LogListenFailed(Exception exception, double delaySeconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Transcription: listening for queued jobs again")]
    private partial void LogListenRecovered();
}
