using CallTracking.Engine.Api;
using CallTracking.Engine.Calls.Control;
using CallTracking.Engine.Calls.Prompts;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Dashboard;
using CallTracking.Engine.Events;
using CallTracking.Engine.Grpc;
using CallTracking.Engine.Privacy;
using CallTracking.Engine.Provisioning;
using CallTracking.Engine.Sip.Trunks;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Tracking;
using CallTracking.Engine.Tracking.Dni;
using CallTracking.Grpc.Health;
using CallTracking.Grpc.Server;
using CallTracking.Media.Rtp;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Server.Kestrel.Core;

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
        if (IsWorkerRole(configuration))
        {
            return await RunWorkerAsync(settings, configuration, cancellationToken).ConfigureAwait(false);
        }

        if (!HttpListenAddress.TryParse(configuration[HttpListenAddress.ConfigurationKey], out var http, out var httpError))
        {
            await Console.Error.WriteLineAsync($"calltracking: configuration error{Environment.NewLine}  {HttpListenAddress.ConfigurationKey}: {httpError}").ConfigureAwait(false);
            return Cli.CliExitCodes.Config;
        }

        if (!HttpPublicUrl.TryParse(configuration[HttpPublicUrl.ConfigurationKey], out var publicUrl, out var publicUrlError))
        {
            await Console.Error.WriteLineAsync($"calltracking: configuration error{Environment.NewLine}  {HttpPublicUrl.ConfigurationKey}: {publicUrlError}").ConfigureAwait(false);
            return Cli.CliExitCodes.Config;
        }

        // Encryption at rest: a master key that cannot be read (or that others can read) stops the engine here.
        if (!Privacy.PrivacyServices.TryLoadMasterKey(configuration, settings.DataPath, Console.Error, out var masterKeys))
        {
            return Cli.CliExitCodes.StartFailed;
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

        // Npgsql logs every command at Information; an operator needs its warnings and errors only.
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);

        // Two listeners: Http:Listen for the REST API, signed links and gRPC-Web (HTTP/1.1, and HTTP/2 where TLS
        // negotiates it), and Grpc:Listen for gRPC proper, HTTP/2 only, so cleartext clients speak h2c with prior
        // knowledge (RFC 9113 §3.3). Kestrel writes the bound end point (port 0 picks one) back into the options.
        ListenOptions? httpListener = null;
        ListenOptions? grpcListener = null;
        if (settings.Grpc.Certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(http.Address, http.Port, listen =>
            {
                // Http:Listen is cleartext: without TLS there is no ALPN to choose HTTP/2, so Kestrel would serve
                // HTTP/1.1 anyway (and warn at every start). Browsers' gRPC-Web streams work over HTTP/1.1.
                listen.Protocols = HttpProtocols.Http1;
                httpListener = listen;
            });
            kestrel.Listen(settings.Grpc.Address, settings.Grpc.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (settings.Grpc.Certificate is { } certificate)
                {
                    listen.UseHttps(certificate);
                }

                grpcListener = listen;
            });
        });

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new TrunkAdmission(settings.Trunks));
        builder.Services.AddSingleton(new TrackingNumberDirectory(settings.Numbers));
        builder.Services.AddSingleton(new RtpPortAllocator(settings.Media.PortRange));
        builder.Services.AddMetrics();

        // Hosted services start in this order and stop in reverse: the database is up (migrated) before the writer
        // and SIP start, and SIP stops (hanging up its calls) before the writer drains and the database stops.
        // First of all: a missing libwhisper or a bad Transcription:Model stops the engine before the database starts.
        builder.Services.AddSingleton<Transcription.TranscriptionService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Transcription.TranscriptionService>());
        builder.Services.AddSingleton<StorageService>();
        builder.Services.AddSingleton(services => services.GetRequiredService<StorageService>().DataSource);
        AddTranscriptionJobs(builder.Services, configuration);
        builder.Services.AddSingleton<NumberLookup>();
        builder.Services.AddSingleton(services => new CallRecordWriter(
            services.GetRequiredService<CallRecordStore>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            services.GetRequiredService<ILogger<CallRecordWriter>>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<StorageService>());

        // After the migrations, before anything reads the tracking data.
        builder.Services.AddHostedService(services => new ProvisioningService(
            configuration[ProvisioningFile.ConfigurationKey],
            services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            settings.Trunks,
            services.GetRequiredService<ILogger<ProvisioningService>>()));
        // Then the configured numbers are provisioned and every number is loaded into the routing directory.
        builder.Services.AddSingleton(services => new PromptLibrary(
            PromptLibrary.ShippedFolder,
            Path.Combine(settings.DataPath, "prompts"),
            services.GetRequiredService<ILogger<PromptLibrary>>()));
        builder.Services.AddSingleton(new RoutingDirectory([]));
        builder.Services.AddSingleton(services => new RoutingDirectoryService(
            settings,
            services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            services.GetRequiredService<RoutingDirectory>(),
            services.GetRequiredService<PromptLibrary>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<RoutingDirectoryService>>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<RoutingDirectoryService>());
        builder.Services.AddHostedService(services => services.GetRequiredService<CallRecordWriter>());
        builder.Services.AddPrivacy(masterKeys!, engine: true, PrivacyServices.EncryptRecordings(configuration));
        Privacy.PrivacyServices.AddAudioRedaction(builder.Services, configuration);
        builder.Services.AddHostedService<Transcription.TranscriptionWorkerService>();
        builder.Services.AddSingleton<Transcription.LiveTranscriptionService>();
        builder.Services.AddSingleton<Transcription.ILiveTranscription>(services => services.GetRequiredService<Transcription.LiveTranscriptionService>());
        builder.Services.AddHostedService(services => services.GetRequiredService<Transcription.LiveTranscriptionService>());
        AddOutboundDeliveries(builder.Services, configuration);
        builder.Services.AddCallTrackingApi();
        builder.Services.AddCallTrackingDashboard();
        builder.Services.AddCallTrackingDni(configuration);

        // The event feed starts after the migrations (it reads max(id)) and stops before the database.
        builder.Services.AddSingleton(new EventFeedOptions { SubscriberQueue = settings.Events.SubscriberQueue });
        builder.Services.AddSingleton<EventStore>();
        builder.Services.AddSingleton<EventFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EventFeed>());
        // API keys and dashboard session tokens, for gRPC as for /v1.
        builder.Services.AddSingleton<IBearerAuthenticator>(services => services.GetRequiredService<BearerAuthenticator>());
        builder.Services.AddSingleton<GrpcAuthentication>();
        builder.Services.AddSingleton(services => new RecordingLinks(
            services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            () => publicUrl ?? HttpPublicUrl.FromEndpoint(httpListener?.IPEndPoint ?? throw new InvalidOperationException("the HTTP listener is not bound yet")),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>())
        {
            DefaultLifetime = TimeSpan.TryParse(configuration[RecordingLinks.LifetimeConfigurationKey], System.Globalization.CultureInfo.InvariantCulture, out var lifetime) && lifetime > TimeSpan.Zero
                ? lifetime
                : TimeSpan.FromMinutes(15),
        });
        // Privacy (PCI pause keys, audio redaction) and the audit trail, for call control and the APIs.
        builder.Services.AddSingleton(Privacy.PrivacyOptions.From(configuration));
        // AddGrpcWire registers the health service (grpc.health.v1) as an IGrpcService itself.
        builder.Services.AddGrpcWire();
        builder.Services.AddSingleton<CallEventsService>();
        builder.Services.AddSingleton<CallsService>();
        builder.Services.AddSingleton<IGrpcService>(services => services.GetRequiredService<CallEventsService>());
        builder.Services.AddSingleton<IGrpcService>(services => services.GetRequiredService<CallsService>());
        builder.Services.AddSingleton<SipService>();
        builder.Services.AddSingleton<Calls.Control.IRecordingPauseControl>(services => new SipRecordingPauses(services.GetRequiredService<SipService>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<SipService>());

        await using var app = builder.Build();

        // gRPC first: its requests (application/grpc*) must not meet the REST API's key check and problem pages.
        app.UseGrpcWire();
        app.UseCallTrackingApi();
        app.MapCallTrackingDashboard();
        app.MapCallTrackingDni();

        // Health checkers (and load balancers) stop sending work as soon as shutdown begins (grpc.health.v1).
        // Event streams end (UNAVAILABLE, with the id to resume after) at the same moment.
        var health = app.Services.GetRequiredService<GrpcHealthService>();
        var feed = app.Services.GetRequiredService<EventFeed>();
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            feed.EndSubscriptions();
            foreach (var service in new[] { string.Empty, CallEventsService.ServiceName, CallsService.ServiceName })
            {
                health.SetStatus(service, HealthCheckResponse.Types.ServingStatus.NotServing);
            }
        });
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
            // Kestrel could not bind Http:Listen or Grpc:Listen (address in use, address not on this machine).
            LogStartFailed(app.Logger, e.Message);
            await Console.Error.WriteLineAsync($"calltracking: cannot listen on {HttpListenAddress.ConfigurationKey} or Grpc:Listen: {e.Message}").ConfigureAwait(false);
            return Cli.CliExitCodes.StartFailed;
        }

        if (httpListener?.IPEndPoint is { } httpEndPoint)
        {
            LogHttpListening(app.Logger, Url("http", httpEndPoint));
        }

        if (grpcListener?.IPEndPoint is { } grpcEndPoint)
        {
            LogGrpcListening(app.Logger, Url(settings.Grpc.Certificate is null ? "http" : "https", grpcEndPoint));
        }

        LogStarted(app.Logger, string.Join(", ", settings.Sip.Listen), settings.Trunks.Count, settings.Numbers.Count);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// <c>calltracking migrate</c>: brings the database up (the embedded cluster when no connection string is
    /// configured), applies the migrations, stops what it started. Prints what it applied.
    /// </summary>
    public static Task<int> MigrateAsync(EngineSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        return WithMigratedDatabaseAsync(settings, (_, applied) => ReportMigrationsAsync(applied, output), error, cancellationToken);
    }

    /// <summary>
    /// <c>calltracking provision</c> and <c>keys</c>: brings the database up as <c>migrate</c> does (the embedded
    /// cluster when no connection string is configured; migrations applied), runs <paramref name="work"/> on it,
    /// stops what it started.
    /// </summary>
    public static Task<int> WithDatabaseAsync(
        EngineSettings settings,
        IConfiguration configuration,
        Func<Npgsql.NpgsqlDataSource, Task<int>> work,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WithMigratedDatabaseAsync(settings, (dataSource, _) => work(dataSource), error, cancellationToken);
    }

    /// <summary>
    /// The database commands' common ground: the configured server, or the embedded cluster — used as it is when a
    /// running engine owns it (never stopped from here), else started for the command and stopped after it —
    /// with the migrations applied; <paramref name="work"/> gets the data source and the migrations this applied.
    /// </summary>
    private static async Task<int> WithMigratedDatabaseAsync(
        EngineSettings settings,
        Func<Npgsql.NpgsqlDataSource, IReadOnlyList<Migration>, Task<int>> work,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(error);
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
        }).SetMinimumLevel(LogLevel.Warning));
        if (settings.Database.IsEmbedded)
        {
            var embedded = new EmbeddedPostgres(settings.DataPath, settings.Database.ServerBinaries, loggers.CreateLogger<EmbeddedPostgres>());
            if (File.Exists(Path.Combine(embedded.ClusterDirectory, "postmaster.pid")))
            {
                var running = Npgsql.NpgsqlDataSource.Create(embedded.ConnectionString);
                await using (running.ConfigureAwait(false))
                {
                    try
                    {
                        var applied = await new MigrationRunner(running, loggers.CreateLogger<MigrationRunner>()).ApplyAsync(cancellationToken).ConfigureAwait(false);
                        return await work(running, applied).ConfigureAwait(false);
                    }
                    catch (Npgsql.NpgsqlException e)
                    {
                        await error.WriteLineAsync($"calltracking: the embedded database under {embedded.Directory} is locked by a postmaster.pid but does not answer: {e.Message}. If no engine is running, start the engine once (it recovers a stale lock) and try again.").ConfigureAwait(false);
                        return Cli.CliExitCodes.StartFailed;
                    }
                }
            }
        }

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

            try
            {
                return await work(storage.DataSource, storage.AppliedMigrations).ConfigureAwait(false);
            }
            catch (Npgsql.NpgsqlException e)
            {
                await error.WriteLineAsync("calltracking: the database failed: " + e.Message).ConfigureAwait(false);
                return Cli.CliExitCodes.StartFailed;
            }
            finally
            {
                await storage.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> ReportMigrationsAsync(IReadOnlyList<Migration> applied, TextWriter output)
    {
        foreach (var migration in applied)
        {
            await output.WriteLineAsync($"applied {migration.Version:D4}_{migration.Name}").ConfigureAwait(false);
        }

        var latest = MigrationRunner.Embedded.Count == 0 ? 0 : MigrationRunner.Embedded[^1].Version;
        await output.WriteLineAsync(applied.Count == 0
            ? $"database up to date (version {latest:D4}); nothing applied"
            : $"database at version {latest:D4}").ConfigureAwait(false);
        return Cli.CliExitCodes.Ok;
    }

    private static string Url(string scheme, System.Net.IPEndPoint endPoint) =>
        endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"{scheme}://[{endPoint.Address}]:{endPoint.Port}" : $"{scheme}://{endPoint}";

    /// <summary>Tests read the bound gRPC URL from this line: "gRPC listening on http://127.0.0.1:PORT" (https with a certificate).</summary>
    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "gRPC listening on {Url}")]
    private static partial void LogGrpcListening(ILogger logger, string url);

    /// <summary>Tests read the bound URL (port 0 picks one) from this line: "HTTP API listening on http://127.0.0.1:PORT".</summary>
    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "HTTP API listening on {Url}")]
    private static partial void LogHttpListening(ILogger logger, string url);

    /// <summary>
    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "CallTracking engine could not start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "CallTracking engine started; SIP listen endpoints {Endpoints}; {TrunkCount} trunks, {NumberCount} tracking numbers")]
    private static partial void LogStarted(ILogger logger, string endpoints, int trunkCount, int numberCount);
}
