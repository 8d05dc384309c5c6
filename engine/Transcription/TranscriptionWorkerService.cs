using System.Diagnostics;
using CallTracking.Media.Transcription;

namespace CallTracking.Engine.Transcription;

/// <summary>
/// Runs <see cref="TranscriptionSettings.Workers"/> transcription workers, each with its own whisper state, taking
/// jobs from the <see cref="TranscriptionJobQueue"/> until the host stops. An idle worker waits for the
/// <see cref="TranscriptionJobSignal"/> (a NOTIFY when a job is queued), for the next retry or lease to come due, or
/// at most <see cref="TranscriptionSettings.Poll"/> (the fallback when a notification is lost); a claim is one
/// indexed UPDATE. Does nothing when no model is loaded.
/// </summary>
public sealed partial class TranscriptionWorkerService(
    TranscriptionService transcription,
    TranscriptionJobQueue queue,
    TranscriptionJobSignal signal,
    TranscriptionSettings settings,
    TimeProvider time,
    ILogger<TranscriptionWorkerService> logger,
    Privacy.RecordingReader? recordings = null,
    Privacy.RecordingRedaction? redaction = null) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (transcription.Model is not { } model)
        {
            return Task.CompletedTask;
        }

        LogWorkersStarted(logger, settings.Workers);
        var workers = new Task[settings.Workers + 1];
        workers[^1] = Task.Run(() => signal.ListenAsync(stoppingToken), CancellationToken.None);
        for (var i = 0; i < settings.Workers; i++)
        {
            var workerId = $"{Environment.MachineName}/{Environment.ProcessId}/{i}";

            // whisper_full blocks its thread for the whole region: each worker gets a thread of its own.
            workers[i] = Task.Factory.StartNew(() => RunWorkerAsync(model, workerId, stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        }

        return Task.WhenAll(workers);
    }

    private async Task RunWorkerAsync(WhisperModel model, string workerId, CancellationToken stoppingToken)
    {
        using var transcriber = model.CreateTranscriber();
        var whisperOptions = new WhisperOptions { Language = settings.Language, TemperatureIncrement = settings.TemperatureIncrement };
        if (settings.Threads is { } threads)
        {
            whisperOptions = whisperOptions with { Threads = threads };
        }

        var pipeline = new TranscriptionPipeline(transcriber, whisperOptions, new VoiceActivityOptions());
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before the claim: a job queued between the claim and the wait still wakes this worker.
            var wake = signal.Current;
            TranscriptionJob? job;
            TimeSpan? due = null;
            try
            {
                job = await queue.ClaimAsync(workerId, stoppingToken).ConfigureAwait(false);
                if (job is null)
                {
                    due = await queue.NextDueAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Npgsql.NpgsqlException e)
            {
                LogQueueFailed(logger, e.Message);
                job = null;
            }

            if (job is null)
            {
                // Not below 50 ms: a due job another worker holds (SKIP LOCKED) must not make this one spin.
                var wait = due is { } d && d < settings.Poll ? TimeSpan.FromTicks(Math.Max(d.Ticks, TimeSpan.FromMilliseconds(50).Ticks)) : settings.Poll;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(wait, time, timeout.Token);
                await Task.WhenAny(wake, delay).ConfigureAwait(false);
                await timeout.CancelAsync().ConfigureAwait(false);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            await RunJobAsync(pipeline, model.Path, job, workerId, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunJobAsync(TranscriptionPipeline pipeline, string modelPath, TranscriptionJob job, string workerId, CancellationToken stoppingToken)
    {
        using var scope = logger.BeginScope("call {CallId}", job.CallId);
        if (job.Attempts > settings.MaxAttempts)
        {
            // Claimed again after the lease of its last allowed attempt ran out: that worker died mid-job.
            await FailAsync(job, workerId, $"the worker transcribing it stopped {job.Attempts - 1} times without finishing", stoppingToken).ConfigureAwait(false);
            return;
        }

        LogJobStarted(logger, job.Id, job.Attempts, job.Path);
        using var jobCancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewal = RenewLeaseAsync(job, workerId, jobCancellation);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (string.IsNullOrEmpty(job.Path))
            {
                throw new FileNotFoundException("the recording has no file");
            }

            // Recordings are encrypted at rest: the reader decrypts (and reads older plaintext files as they are).
            var file = recordings is null ? null : await recordings.ReadAllAsync(job.Path, jobCancellation.Token).ConfigureAwait(false)
                ?? throw new FileNotFoundException("the recording is gone or its data key was destroyed");
            var result = await Task.Run(() => file is null ? pipeline.Transcribe(job.Path, jobCancellation.Token) : pipeline.Transcribe(OggOpusFileDecoder.Decode(file, job.Path), jobCancellation.Token), jobCancellation.Token).ConfigureAwait(false);
            var transcriptId = await queue.CompleteAsync(job, workerId, result, Path.GetFileName(modelPath), stoppingToken).ConfigureAwait(false);
            if (transcriptId is null)
            {
                LogLeaseLost(logger, job.Id);
            }
            else
            {
                LogJobDone(logger, job.Id, transcriptId.Value, result.Segments.Count, result.DurationMs, Stopwatch.GetElapsedTime(started).TotalSeconds);

                // Privacy:RedactAudio: the redacted copy, after the transcript is committed; its failure loses nothing (logged, counted).
                if (redaction is not null)
                {
                    await redaction.TryRedactAsync(job, result.Segments, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the job's lease runs out and a worker takes it again.
        }
        catch (OperationCanceledException)
        {
            LogLeaseLost(logger, job.Id);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException or WhisperException or Media.Codecs.Opus.OpusException)
        {
            var error = e is FileNotFoundException or DirectoryNotFoundException ? $"recording file {job.Path} not found" : $"{job.Path}: {e.Message}";
            await FailAsync(job, workerId, error, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await jobCancellation.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
        }
    }

    private async Task FailAsync(TranscriptionJob job, string workerId, string error, CancellationToken stoppingToken)
    {
        try
        {
            var final = await queue.FailAsync(job, workerId, error, stoppingToken).ConfigureAwait(false);
            if (final)
            {
                LogJobFailed(logger, job.Id, job.Attempts, error);
            }
            else
            {
                LogJobRetry(logger, job.Id, job.Attempts, error);
            }
        }
        catch (Npgsql.NpgsqlException e)
        {
            LogQueueFailed(logger, e.Message);
        }
    }

    private async Task RenewLeaseAsync(TranscriptionJob job, string workerId, CancellationTokenSource jobCancellation)
    {
        var token = jobCancellation.Token;
        try
        {
            while (true)
            {
                await Task.Delay(settings.Lease / 3, time, token).ConfigureAwait(false);
                if (!await queue.RenewAsync(job, workerId, token).ConfigureAwait(false))
                {
                    // Another worker has it now: stop transcribing what will not be stored.
                    await jobCancellation.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Npgsql.NpgsqlException e)
        {
            LogQueueFailed(logger, e.Message);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Transcription: {Workers} worker(s) taking jobs")]
    private static partial void LogWorkersStarted(ILogger logger, int workers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Transcription job {JobId} started (attempt {Attempt}): {Path}")]
    private static partial void LogJobStarted(ILogger logger, Guid jobId, int attempt, string? path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Transcription job {JobId} done: transcript {TranscriptId}, {Segments} segments, {DurationMs} ms of audio in {Seconds:F1} s")]
    private static partial void LogJobDone(ILogger logger, Guid jobId, Guid transcriptId, int segments, long durationMs, double seconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Transcription job {JobId} attempt {Attempt} failed, will retry: {Error}")]
    private static partial void LogJobRetry(ILogger logger, Guid jobId, int attempt, string error);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Transcription job {JobId} failed after {Attempts} attempts: {Error}")]
    private static partial void LogJobFailed(ILogger logger, Guid jobId, int attempts, string error);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Transcription job {JobId}: lease lost to another worker; result discarded")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Transcription queue: database error: {Error}")]
    private static partial void LogQueueFailed(ILogger logger, string error);
}
