using CallTracking.Engine.Configuration;
using CallTracking.Engine.Sip.Trunks;
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

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new TrunkAdmission(settings.Trunks));
        builder.Services.AddSingleton(new TrackingNumberDirectory(settings.Numbers));
        builder.Services.AddSingleton(new RtpPortAllocator(settings.Media.PortRange));
        builder.Services.AddMetrics();
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

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "CallTracking engine could not start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "CallTracking engine started; SIP listen endpoints {Endpoints}; {TrunkCount} trunks, {NumberCount} tracking numbers")]
    private static partial void LogStarted(ILogger logger, string endpoints, int trunkCount, int numberCount);
}
