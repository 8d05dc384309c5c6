using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using CallTracking.Engine.Api;
using CallTracking.Engine.Events;
using CallTracking.Engine.Grpc;
using CallTracking.Engine.Storage;
using CallTracking.Grpc.Server;
using CallTracking.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallTracking.IntegrationTests.Events;

/// <summary>
/// A fresh, migrated database for one test: an agency ("Agency") with one client ("Client") and an unrelated
/// organisation ("Other"), a call record store to write calls with, and the pieces the event feed and the gRPC
/// services are built from. Disposing stops every feed it started and closes the data source.
/// </summary>
internal sealed class EventsDatabase : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly List<EventFeed> _feeds = [];
    private readonly List<NpgsqlDataSource> _dataSources = [];

    private EventsDatabase(string connectionString, NpgsqlDataSource dataSource)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        Store = new CallRecordStore(dataSource);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Meters = _services.GetRequiredService<IMeterFactory>();
        Keys = new ApiKeyStore(dataSource, TimeProvider.System);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public CallRecordStore Store { get; }

    public IMeterFactory Meters { get; }

    public ApiKeyStore Keys { get; }

    public Guid Agency { get; private set; }

    public Guid Client { get; private set; }

    public Guid Other { get; private set; }

    public static async Task<EventsDatabase> CreateAsync(PostgresServer server)
    {
        var connectionString = await server.CreateDatabaseAsync();
        var database = new EventsDatabase(connectionString, NpgsqlDataSource.Create(connectionString));
        await new MigrationRunner(database.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        database.Agency = await database.ScalarAsync<Guid>("INSERT INTO organisations (name) VALUES ('Agency') RETURNING id");
        database.Client = await database.ScalarAsync<Guid>($"INSERT INTO organisations (name, parent_id) VALUES ('Client', '{database.Agency}') RETURNING id");
        database.Other = await database.ScalarAsync<Guid>("INSERT INTO organisations (name) VALUES ('Other') RETURNING id");
        return database;
    }

    /// <summary>A started feed (a "node") over its own data source, like a second engine would have.</summary>
    public async Task<EventFeed> StartFeedAsync(int subscriberQueue = 1024, int batchSize = 500, TimeSpan? pollInterval = null)
    {
        var dataSource = NpgsqlDataSource.Create(ConnectionString);
        var feed = new EventFeed(
            dataSource,
            new EventFeedOptions { SubscriberQueue = subscriberQueue, BatchSize = batchSize, PollInterval = pollInterval ?? TimeSpan.FromSeconds(1) },
            TimeProvider.System,
            Meters,
            NullLogger<EventFeed>.Instance);
        await feed.StartAsync(CancellationToken.None);
        _feeds.Add(feed);
        _dataSources.Add(dataSource);
        return feed;
    }

    /// <summary>The service over <paramref name="feed"/>; <paramref name="lifetime"/> is the host's (a fresh one that never stops by default).</summary>
    public CallEventsService EventsService(EventFeed feed, IHostApplicationLifetime? lifetime = null) => new(
        feed,
        new GrpcAuthentication(Keys, Meters),
        lifetime ?? new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance),
        NullLogger<CallEventsService>.Instance);

    /// <summary>A new API key of the organisation named <paramref name="organisation"/>.</summary>
    public async Task<string> KeyAsync(string organisation) => (await Keys.CreateAsync(organisation, "test", CancellationToken.None))!.Key;

    /// <summary>A call context as the wire layer would build it, with the bearer token (if any) as metadata.</summary>
    public static ServerCallContext Context(string? bearer, string method, CancellationToken cancellationToken = default)
    {
        var http = new DefaultHttpContext();
        if (bearer is not null)
        {
            http.Request.Headers.Authorization = "Bearer " + bearer;
        }

        return new ServerCallContext(http, method, null, cancellationToken);
    }

    /// <summary>Starts a call of <paramref name="organisation"/> to <paramref name="number"/>; returns its id.</summary>
    public Task<Guid> StartCallAsync(Guid organisation, string number = "+15551230001", Guid? campaign = null, string? callerNumber = "+15559990000", string? callerName = null, DateTimeOffset? startedAt = null) =>
        Store.StartCallAsync(
            new CallStarted(organisation, number, "sip-" + Guid.NewGuid().ToString("N"), startedAt ?? T0) { CampaignId = campaign, CallerNumber = callerNumber, CallerName = callerName, Trunk = "twilio" },
            CancellationToken.None);

    /// <summary>A <c>call.dtmf</c> event of the call; returns its id.</summary>
    public Task<long> DtmfAsync(Guid callId, Guid organisation, char digit = '5') =>
        Store.AppendEventAsync(callId, organisation, CallEventKinds.Dtmf, new JsonObject { ["digit"] = digit.ToString(), ["durationMs"] = 120 }, CancellationToken.None);

    public async Task<List<long>> EventIdsAsync(string where = "true")
    {
        await using var command = DataSource.CreateCommand($"SELECT id FROM events WHERE {where} ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    public async Task<Guid> CampaignAsync(Guid organisation, string name) =>
        await ScalarAsync<Guid>($"INSERT INTO campaigns (organisation_id, name) VALUES ('{organisation}', '{name}') RETURNING id");

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var feed in _feeds)
        {
            await feed.StopAsync(CancellationToken.None);
            await feed.DisposeAsync();
        }

        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }

        await DataSource.DisposeAsync();
        await _services.DisposeAsync();
    }
}
