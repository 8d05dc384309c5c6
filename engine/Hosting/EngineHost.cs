using CallTracking.Engine.Api;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Provisioning;
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

        if (!HttpListenAddress.TryParse(configuration[HttpListenAddress.ConfigurationKey], out var http, out var httpError))
        {
            await Console.Error.WriteLineAsync($"calltracking: configuration error{Environment.NewLine}  {HttpListenAddress.ConfigurationKey}: {httpError}").ConfigureAwait(false);
            return Cli.CliExitCodes.Config;
        }

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

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(http.Address, http.Port));

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new TrunkAdmission(settings.Trunks));
        builder.Services.AddSingleton(new TrackingNumberDirectory(settings.Numbers));
        builder.Services.AddSingleton(new RtpPortAllocator(settings.Media.PortRange));
        builder.Services.AddMetrics();
        if (configuration["Database:ConnectionString"] is { Length: > 0 } connectionString)
        {
            builder.Services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(connectionString));
        }

        builder.Services.AddHostedService(services => new ProvisioningService(
            configuration[ProvisioningFile.ConfigurationKey],
            services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            services.GetRequiredService<ILogger<ProvisioningService>>()));
        builder.Services.AddCallTrackingApi();
        builder.Services.AddSingleton<SipService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SipService>());

        await using var app = builder.Build();
        app.UseCallTrackingApi();
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
        catch (ProvisioningException e)
        {
            LogStartFailed(app.Logger, e.Message);
            await Console.Error.WriteLineAsync($"calltracking: {e.Message}; nothing of it was applied").ConfigureAwait(false);
            foreach (var error in e.Errors)
            {
                await Console.Error.WriteLineAsync($"  {error}").ConfigureAwait(false);
            }

            return Cli.CliExitCodes.Config;
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException or System.Net.Sockets.SocketException)
        {
            // Kestrel could not bind Http:Listen (address in use, address not on this machine).
            LogStartFailed(app.Logger, e.Message);
            await Console.Error.WriteLineAsync($"calltracking: cannot listen on {HttpListenAddress.ConfigurationKey}: {e.Message}").ConfigureAwait(false);
            return Cli.CliExitCodes.StartFailed;
        }

        var server = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();
        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            LogHttpListening(app.Logger, address);
        }

        LogStarted(app.Logger, string.Join(", ", settings.Sip.Listen), settings.Trunks.Count, settings.Numbers.Count);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// <c>calltracking provision</c> and <c>keys</c>: opens the configured database, runs <paramref name="work"/>, closes it.
    /// </summary>
    public static async Task<int> WithDatabaseAsync(
        EngineSettings settings,
        IConfiguration configuration,
        Func<Npgsql.NpgsqlDataSource, Task<int>> work,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(error);
        var dataSource = Npgsql.NpgsqlDataSource.Create(configuration["Database:ConnectionString"]!);
        await using (dataSource.ConfigureAwait(false))
        {
            try
            {
                return await work(dataSource).ConfigureAwait(false);
            }
            catch (Npgsql.NpgsqlException e)
            {
                await error.WriteLineAsync("calltracking: the database is unavailable: " + e.Message).ConfigureAwait(false);
                return Cli.CliExitCodes.StartFailed;
            }
        }
    }

    /// <summary>Tests read the bound URL (port 0 picks one) from this line: "HTTP API listening on http://127.0.0.1:PORT".</summary>
    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "HTTP API listening on {Url}")]
    private static partial void LogHttpListening(ILogger logger, string url);

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "CallTracking engine could not start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "CallTracking engine started; SIP listen endpoints {Endpoints}; {TrunkCount} trunks, {NumberCount} tracking numbers")]
    private static partial void LogStarted(ILogger logger, string endpoints, int trunkCount, int numberCount);
}
