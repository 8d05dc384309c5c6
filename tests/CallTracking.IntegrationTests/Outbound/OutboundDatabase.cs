using System.Diagnostics.Metrics;
using CallTracking.Engine.Outbound;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Tracking.Conversions;
using CallTracking.Engine.Webhooks;
using CallTracking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallTracking.IntegrationTests.Outbound;

/// <summary>
/// A fresh migrated database with one organisation, and "engines": each a delivery worker plus the webhook and
/// conversion consumers over their own data source, started and stopped like an engine's hosted services.
/// </summary>
internal sealed class OutboundDatabase : IAsyncDisposable
{
    public static readonly OutboundOptions Fast = new()
    {
        RetryBase = TimeSpan.FromMilliseconds(200),
        RetryMax = TimeSpan.FromSeconds(1),
        MaxAttempts = 10,
        Lease = TimeSpan.FromSeconds(2),
        PollInterval = TimeSpan.FromMilliseconds(100),
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly ServiceProvider _services;
    private readonly List<Engine> _engines = [];

    private OutboundDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        Store = new CallRecordStore(DataSource);
        var services = new ServiceCollection().AddMetrics();
        services.AddHttpClient(DeliveryWorker.HttpClientName);
        _services = services.BuildServiceProvider();
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public CallRecordStore Store { get; }

    public Guid Organisation { get; private set; }

    public static async Task<OutboundDatabase> CreateAsync(PostgresServer server)
    {
        var database = new OutboundDatabase(await server.CreateDatabaseAsync());
        await new MigrationRunner(database.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        database.Organisation = await database.ScalarAsync<Guid>("INSERT INTO organisations (name, time_zone) VALUES ('Acme Plumbing', 'America/New_York') RETURNING id");
        return database;
    }

    public async Task<Guid> WebhookAsync(string url, string secret, params string[] events)
    {
        await using var command = DataSource.CreateCommand("INSERT INTO webhook_endpoints (organisation_id, url, secret, events) VALUES ($1, $2, $3, $4) RETURNING id");
        command.Parameters.Add(new() { Value = Organisation });
        command.Parameters.Add(new() { Value = url });
        command.Parameters.Add(new() { Value = secret });
        command.Parameters.Add(new() { Value = events });
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Starts an engine's outbound services; <paramref name="releaseOnStop"/> false makes its stop behave like a kill.</summary>
    public async Task<Engine> StartEngineAsync(bool releaseOnStop = true)
    {
        var options = Fast with { ReleaseOnStop = releaseOnStop };
        var dataSource = NpgsqlDataSource.Create(ConnectionString);
        var signal = new DeliverySignal();
        var engine = new Engine(
            dataSource,
            new WebhookDispatcher(dataSource, signal, options, TimeProvider.System, NullLogger<WebhookDispatcher>.Instance),
            new ConversionScheduler(dataSource, signal, options, TimeProvider.System, NullLogger<ConversionScheduler>.Instance),
            new DeliveryWorker(
                dataSource,
                _services.GetRequiredService<IHttpClientFactory>(),
                signal,
                options,
                Random.Shared.NextDouble,
                TimeProvider.System,
                _services.GetRequiredService<IMeterFactory>(),
                NullLogger<DeliveryWorker>.Instance));
        await engine.Webhooks.StartAsync(CancellationToken.None);
        await engine.Conversions.StartAsync(CancellationToken.None);
        await engine.Worker.StartAsync(CancellationToken.None);
        _engines.Add(engine);
        return engine;
    }

    public async Task<string> WaitForStatusAsync(Guid deliveryId, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? current = null;
        while (DateTime.UtcNow < deadline)
        {
            current = await ScalarAsync<string?>($"SELECT status FROM outbound_deliveries WHERE id = '{deliveryId}'");
            if (current == status)
            {
                return current;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"delivery {deliveryId} is {current ?? "missing"}, not {status}, after {timeout}");
        return current!;
    }

    public async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }

        await DataSource.DisposeAsync();
        await _services.DisposeAsync();
    }

    /// <summary>One engine's outbound services.</summary>
    internal sealed class Engine(NpgsqlDataSource dataSource, WebhookDispatcher webhooks, ConversionScheduler conversions, DeliveryWorker worker) : IAsyncDisposable
    {
        private bool _stopped;

        public WebhookDispatcher Webhooks => webhooks;

        public ConversionScheduler Conversions => conversions;

        public DeliveryWorker Worker => worker;

        public async Task StopAsync()
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            await worker.StopAsync(CancellationToken.None);
            await conversions.StopAsync(CancellationToken.None);
            await webhooks.StopAsync(CancellationToken.None);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            await worker.DisposeAsync();
            await conversions.DisposeAsync();
            await webhooks.DisposeAsync();
            await dataSource.DisposeAsync();
        }
    }
}
