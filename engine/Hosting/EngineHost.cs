using CallTracking.Engine.Configuration;
using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Tracking;
using CallTracking.Media.Rtp;

namespace CallTracking.Engine.Hosting;

/// <summary>
/// Builds and runs the engine's host. This is the composition root's one entry point:
/// services are registered here and listeners started here, so adding the SIP stack
/// means adding its registrations and hosted services below.
/// </summary>
public static partial class EngineHost
{
    /// <summary>Runs until Ctrl-C, SIGTERM or <paramref name="cancellationToken"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(EngineSettings settings, IConfiguration configuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });

        // The configuration was assembled and validated by the caller; use exactly it.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.IncludeScopes = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
        });

        // Npgsql logs every command at Information; an operator needs its warnings and errors only.
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new TrunkAdmission(settings.Trunks));
        builder.Services.AddSingleton(new TrackingNumberDirectory(settings.Numbers));
        builder.Services.AddSingleton(new RtpPortAllocator(settings.Media.PortRange));
        builder.Services.AddMetrics();

        // Hosted services start in this order and stop in reverse: the database is up (migrated) before the writer
        // and SIP start, and SIP stops (hanging up its calls) before the writer drains and the database stops.
        builder.Services.AddSingleton<StorageService>();
        builder.Services.AddSingleton(services => services.GetRequiredService<StorageService>().DataSource);
        builder.Services.AddSingleton<CallRecordStore>();
        builder.Services.AddSingleton<NumberLookup>();
        builder.Services.AddSingleton(services => new CallRecordWriter(
            services.GetRequiredService<CallRecordStore>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            services.GetRequiredService<ILogger<CallRecordWriter>>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<StorageService>());
        builder.Services.AddHostedService(services => services.GetRequiredService<CallRecordWriter>());
        builder.Services.AddSingleton<SipService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SipService>());

        await using var app = builder.Build();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StartupException e)
        {
            LogStartFailed(app.Logger, e.Message);
            await Console.Error.WriteLineAsync("calltracking: " + e.Message).ConfigureAwait(false);
            return Cli.CliExitCodes.StartFailed;
        }

        LogStarted(app.Logger, string.Join(", ", settings.Sip.Listen), settings.Trunks.Count, settings.Numbers.Count);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// <c>calltracking migrate</c>: brings the database up (the embedded cluster when no connection string is
    /// configured), applies the migrations, stops what it started. Prints what it applied.
    /// </summary>
    public static async Task<int> MigrateAsync(EngineSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
        }).SetMinimumLevel(LogLevel.Warning));
        var storage = new StorageService(settings, loggers);
        await using (storage.ConfigureAwait(false))
        {
            try
            {
                await storage.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StartupException e)
            {
                await error.WriteLineAsync("calltracking: " + e.Message).ConfigureAwait(false);
                return Cli.CliExitCodes.StartFailed;
            }

            foreach (var migration in storage.AppliedMigrations)
            {
                await output.WriteLineAsync($"applied {migration.Version:D4}_{migration.Name}").ConfigureAwait(false);
            }

            var latest = MigrationRunner.Embedded.Count == 0 ? 0 : MigrationRunner.Embedded[^1].Version;
            await output.WriteLineAsync(storage.AppliedMigrations.Count == 0
                ? $"database up to date (version {latest:D4}); nothing applied"
                : $"database at version {latest:D4}").ConfigureAwait(false);
            await storage.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return Cli.CliExitCodes.Ok;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "CallTracking engine could not start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "CallTracking engine started; SIP listen endpoints {Endpoints}; {TrunkCount} trunks, {NumberCount} tracking numbers")]
    private static partial void LogStarted(ILogger logger, string endpoints, int trunkCount, int numberCount);
}
