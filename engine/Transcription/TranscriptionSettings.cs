using System.Globalization;

namespace CallTracking.Engine.Transcription;

/// <summary>The <c>Transcription</c> section's job and pipeline keys (the model and library keys are <see cref="TranscriptionService"/>'s).</summary>
public sealed record TranscriptionSettings
{
    public const string WorkersKey = "Transcription:Workers";
    public const string MaxAttemptsKey = "Transcription:MaxAttempts";
    public const string RetrySecondsKey = "Transcription:RetrySeconds";
    public const string LeaseSecondsKey = "Transcription:LeaseSeconds";
    public const string PollMillisecondsKey = "Transcription:PollMilliseconds";
    public const string LanguageKey = "Transcription:Language";
    public const string ThreadsKey = "Transcription:Threads";
    public const string TemperatureIncrementKey = "Transcription:TemperatureIncrement";
    public const string EnqueueKey = "Transcription:Enqueue";
    public const string LiveKey = "Transcription:Live";
    public const string LiveWorkersKey = "Transcription:LiveWorkers";

    /// <summary>Jobs transcribed at once by this process, each with its own whisper state.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Attempts before a job is failed for good.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first retry's delay; each further one doubles it.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a job stays a worker's without the worker renewing it (it renews every third of this).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The fallback poll: how long an idle worker waits at most before it looks for a job again. Idle workers are
    /// woken by a NOTIFY when a job is queued and sleep until the next retry or lease is due, so this only bounds the
    /// delay when a notification is lost (the LISTEN connection down).
    /// </summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A language code, or null to let Whisper detect it.</summary>
    public string? Language { get; init; }

    /// <summary>CPU threads per transcription; null: whisper.cpp's default (up to 4).</summary>
    public int? Threads { get; init; }

    /// <summary>whisper.cpp's temperature fall-back step (0.2); 0 decodes each window once.</summary>
    public float TemperatureIncrement { get; init; } = 0.2f;

    /// <summary>
    /// Whether recordings made here are queued for transcription: by default when this engine has a model; an
    /// engine that leaves transcription to workers on other machines sets it to true without a model.
    /// </summary>
    public bool? Enqueue { get; init; }

    /// <summary>
    /// Whether calls are also transcribed while they go on (<c>transcript.segment</c> events for dashboards), on this
    /// engine's own model; the transcript made from the recording after the call stays the authoritative one.
    /// </summary>
    public bool Live { get; init; }

    /// <summary>Live utterances transcribed at once (each a thread with its own whisper state).</summary>
    public int LiveWorkers { get; init; } = 1;

    /// <summary>Reads the keys; a value that is not a number keeps its default.</summary>
    public static TranscriptionSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new TranscriptionSettings();
        return new TranscriptionSettings
        {
            Workers = Math.Max(1, Int(configuration[WorkersKey]) ?? defaults.Workers),
            MaxAttempts = Math.Max(1, Int(configuration[MaxAttemptsKey]) ?? defaults.MaxAttempts),
            RetryDelay = Double(configuration[RetrySecondsKey]) is { } retry ? TimeSpan.FromSeconds(retry) : defaults.RetryDelay,
            Lease = Double(configuration[LeaseSecondsKey]) is { } lease ? TimeSpan.FromSeconds(Math.Max(1, lease)) : defaults.Lease,
            Poll = Double(configuration[PollMillisecondsKey]) is { } poll ? TimeSpan.FromMilliseconds(Math.Max(10, poll)) : defaults.Poll,
            Language = string.IsNullOrWhiteSpace(configuration[LanguageKey]) ? null : configuration[LanguageKey],
            Threads = Int(configuration[ThreadsKey]),
            TemperatureIncrement = Double(configuration[TemperatureIncrementKey]) is { } step ? (float)step : defaults.TemperatureIncrement,
            Enqueue = bool.TryParse(configuration[EnqueueKey], out var enqueue) ? enqueue : null,
            Live = bool.TryParse(configuration[LiveKey], out var live) && live,
            LiveWorkers = Math.Max(1, Int(configuration[LiveWorkersKey]) ?? defaults.LiveWorkers),
        };
    }

    private static int? Int(string? value) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static double? Double(string? value) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;
}
