using CallTracking.Engine.Configuration;
using CallTracking.Engine.Hosting;
using Npgsql;

namespace CallTracking.Engine.Storage;

/// <summary>
/// The database for the rest of the engine: at start the embedded cluster comes up (when no
/// <c>Database:ConnectionString</c> is configured) and the migrations are applied, before anything that writes
/// starts; at stop the pool is cleared and the embedded cluster stopped, after everything that writes has stopped.
/// <see cref="DataSource"/> exists from construction (nothing connects until start).
/// </summary>
public sealed partial class StorageService : IHostedService, IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private int _disposed;

    public StorageService(EngineSettings settings, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        _loggers = loggers;
        _logger = loggers.CreateLogger<StorageService>();
        if (settings.Database.ConnectionString is { } external)
        {
            ConnectionString = external;
        }
        else
        {
            Embedded = new EmbeddedPostgres(settings.DataPath, settings.Database.ServerBinaries, loggers.CreateLogger<EmbeddedPostgres>());
            ConnectionString = Embedded.ConnectionString;
        }

        var builder = new NpgsqlDataSourceBuilder(ConnectionString);
        builder.UseLoggerFactory(loggers);
        DataSource = builder.Build();
    }

    /// <summary>The private cluster, or null when the engine uses a configured server.</summary>
    public EmbeddedPostgres? Embedded { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The migrations the last start applied.</summary>
    public IReadOnlyList<Migration> AppliedMigrations { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Embedded is not null)
        {
            await Embedded.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var target = new NpgsqlConnectionStringBuilder(ConnectionString);
            LogExternal(target.Host ?? "?", target.Port, target.Database ?? "(default)");
        }

        try
        {
            AppliedMigrations = await new MigrationRunner(DataSource, _loggers.CreateLogger<MigrationRunner>()).ApplyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            var target = new NpgsqlConnectionStringBuilder(ConnectionString);
            throw new StartupException($"cannot prepare the database {target.Database ?? "(default)"} at {target.Host}:{target.Port}: {e.Message}. Check Database:ConnectionString and that the server is running.", e);
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException(e.Message, e);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        DataSource.Clear();
        if (Embedded is not null)
        {
            await Embedded.StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await DataSource.DisposeAsync().ConfigureAwait(false);
        if (Embedded is not null)
        {
            // Idempotent: a start that failed half-way still stops the cluster it started.
            await Embedded.StopAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the PostgreSQL server at {Host}:{Port}, database {Database} (Database:ConnectionString)")]
    private partial void LogExternal(string host, int port, string database);
}
