using CallTracking.Engine.Configuration;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Transcription;

namespace CallTracking.Engine.Hosting;

/// <summary>The transcription side of the composition root, and <c>calltracking run --role worker</c>.</summary>
public static partial class EngineHost
{
    /// <summary>The configuration key <c>run --role</c> sets: <c>all</c> (default) or <c>worker</c>.</summary>
    public const string RoleKey = "Role";

    /// <summary>The role that runs only transcription workers: no SIP, HTTP or gRPC listeners.</summary>
    public const string WorkerRole = "worker";

    private static bool IsWorkerRole(IConfiguration configuration) =>
        string.Equals(configuration[RoleKey], WorkerRole, StringComparison.OrdinalIgnoreCase);

    /// <summary>The call record store (queueing a transcription job with each recording when transcription is on) and the job queue.</summary>
    private static void AddTranscriptionJobs(IServiceCollection services, IConfiguration configuration)
    {
        var transcription = TranscriptionSettings.From(configuration);
        var enqueue = transcription.Enqueue ?? !string.IsNullOrWhiteSpace(configuration[TranscriptionService.ModelKey]);
        services.AddSingleton(transcription);
        services.AddSingleton(services => new CallRecordStore(services.GetRequiredService<Npgsql.NpgsqlDataSource>()) { EnqueueTranscription = enqueue, Attribution = Tracking.Dni.CallAttributor.AttributeAsync });
        services.AddSingleton<TranscriptionJobQueue>();
        services.AddSingleton<TranscriptionJobSignal>();
    }

    /// <summary>
    /// <c>calltracking run --role worker</c>: the database (migrated) and the transcription workers, nothing else,
    /// for a machine that shares the engine's database and recordings path. Needs <c>Transcription:Model</c>.
    /// </summary>
    private static async Task<int> RunWorkerAsync(EngineSettings settings, IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(configuration[TranscriptionService.ModelKey]))
        {
            await Console.Error.WriteLineAsync($"calltracking: configuration error{Environment.NewLine}  {TranscriptionService.ModelKey}: the worker role transcribes, so it needs a model file").ConfigureAwait(false);
            return Cli.CliExitCodes.Config;
        }

        // An embedded cluster would be a database of the worker's own (or, adopted from an engine in the same
        // Data:Path, stopped under that engine when the worker stops): workers share the engine's server.
        if (settings.Database.IsEmbedded)
        {
            await Console.Error.WriteLineAsync($"calltracking: configuration error{Environment.NewLine}  Database:ConnectionString: the worker role works on the engine's database; set it to that PostgreSQL server (on the engine's own machine, raise Transcription:Workers instead)").ConfigureAwait(false);
            return Cli.CliExitCodes.Config;
        }

        if (!Privacy.PrivacyServices.TryLoadMasterKey(configuration, settings.DataPath, Console.Error, out var masterKeys))
        {
            return Cli.CliExitCodes.StartFailed;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.IncludeScopes = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TranscriptionService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TranscriptionService>());
        builder.Services.AddSingleton<StorageService>();
        builder.Services.AddSingleton(services => services.GetRequiredService<StorageService>().DataSource);
        builder.Services.AddHostedService(services => services.GetRequiredService<StorageService>());
        AddTranscriptionJobs(builder.Services, configuration);
        Privacy.PrivacyServices.AddPrivacy(builder.Services, masterKeys!, engine: false);
        Privacy.PrivacyServices.AddAudioRedaction(builder.Services, configuration);
        builder.Services.AddHostedService<TranscriptionWorkerService>();

        using var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StartupException e)
        {
            LogStartFailed(host.Services.GetRequiredService<ILogger<TranscriptionService>>(), e.Message);
            await Console.Error.WriteLineAsync("calltracking: " + e.Message).ConfigureAwait(false);
            return Cli.CliExitCodes.StartFailed;
        }

        LogWorkerStarted(host.Services.GetRequiredService<ILogger<TranscriptionWorkerService>>(), TranscriptionSettings.From(configuration).Workers);
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Tests wait for this line: "CallTracking transcription worker started".</summary>
    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "CallTracking transcription worker started; {Workers} worker(s); no SIP, HTTP or gRPC listeners")]
    private static partial void LogWorkerStarted(ILogger logger, int workers);
}
