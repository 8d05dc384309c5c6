using CallTracking.IntegrationTests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.IntegrationTests.Api;

/// <summary>
/// One engine process for the API tests, on its own PostgreSQL database, provisioned with an agency
/// ("Agency") and its client "Alpha", and an unrelated organisation "Beta"; a key for each made with
/// <c>calltracking keys create</c>; calls inserted directly (7 for Alpha, two of them at the same
/// instant, 3 for Beta) and a recording file for Alpha's first call.
/// </summary>
public sealed class ApiEngineFixture : IAsyncLifetime
{
    public const int AlphaCallCount = 7;

    private const string Provisioning = """
        {
          "Organisations": [
            { "Name": "Agency" },
            { "Name": "Alpha", "Parent": "Agency",
              "Plans": [ { "Name": "main", "Announcement": "none", "Forward": [ { "To": "sip:desk@127.0.0.1:5099", "RingSeconds": 20 } ] } ],
              "Campaigns": [ { "Name": "Search", "Plan": "main" } ],
              "Numbers": [ { "Number": "+15551230011", "Campaign": "Search", "Plan": "main" } ] },
            { "Name": "Beta",
              "Campaigns": [ { "Name": "Search" } ],
              "Numbers": [ { "Number": "+15551230021", "Campaign": "Search" } ] }
          ],
          "Trunks": [ { "Name": "shared", "Allow": [ "127.0.0.1/32" ], "Password": "hunter2" } ]
        }
        """;

    private readonly PostgresServer _server = new();
    private EngineProcess? _engine;

    public TestDirectory Directory { get; } = TestDirectory.Create("ApiEngine");

    public string Database => _server.ConnectionString;

    public HttpClient Http { get; } = new();

    public string AlphaKey { get; private set; } = "";

    public string BetaKey { get; private set; } = "";

    public string AgencyKey { get; private set; } = "";

    public List<Guid> AlphaCalls { get; } = [];

    public List<Guid> BetaCalls { get; } = [];

    public Guid BetaNumber { get; private set; }

    public Guid BetaCampaign { get; private set; }

    public Guid AlphaCampaign { get; private set; }

    public byte[] Recording { get; } = new byte[5000];

    public EngineProcess Engine => _engine!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        var file = Directory.File("provision.json");
        await File.WriteAllTextAsync(file, Provisioning);
        var provisioned = await EngineCli.RunAsync(Directory, Database, "provision", file);
        Assert.True(provisioned.Code == 0, provisioned.Err);

        AlphaKey = await CreateKeyAsync("Alpha");
        BetaKey = await CreateKeyAsync("Beta");
        AgencyKey = await CreateKeyAsync("Agency");

        await using var dataSource = NpgsqlDataSource.Create(Database);
        var alpha = await IdAsync(dataSource, "select id from organisations where name = 'Alpha'");
        var beta = await IdAsync(dataSource, "select id from organisations where name = 'Beta'");
        BetaNumber = await IdAsync(dataSource, "select id from tracking_numbers where number = '+15551230021'");
        BetaCampaign = await IdAsync(dataSource, $"select id from campaigns where organisation_id = '{beta}'");
        AlphaCampaign = await IdAsync(dataSource, $"select id from campaigns where organisation_id = '{alpha}'");

        var start = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < AlphaCallCount; i++)
        {
            // Calls 3 and 4 start at the same instant: paging must order them by id.
            var at = start.AddMinutes(i == 4 ? 3 : i);
            AlphaCalls.Add(await InsertCallAsync(dataSource, alpha, "+15551230011", AlphaCampaign, at));
        }

        for (var i = 0; i < 3; i++)
        {
            BetaCalls.Add(await InsertCallAsync(dataSource, beta, "+15551230021", BetaCampaign, start.AddMinutes(i).AddSeconds(30)));
        }

        Random.Shared.NextBytes(Recording);
        var recording = Directory.File("alpha-call.ogg");
        await File.WriteAllBytesAsync(recording, Recording);
        await using (var command = dataSource.CreateCommand("insert into recordings (call_id, path, bytes, codec, channels) values ($1, $2, $3, 'opus', 2)"))
        {
            command.Parameters.Add(new() { Value = AlphaCalls[0] });
            command.Parameters.Add(new() { Value = recording });
            command.Parameters.Add(new() { Value = (long)Recording.Length });
            await command.ExecuteNonQueryAsync();
        }

        await using (var command = dataSource.CreateCommand("insert into events (organisation_id, call_id, kind, payload) values ($1, $2, 'call.started', '{\"n\": 1}'), ($1, $2, 'call.ended', '{\"n\": 2}')"))
        {
            command.Parameters.Add(new() { Value = alpha });
            command.Parameters.Add(new() { Value = AlphaCalls[0] });
            await command.ExecuteNonQueryAsync();
        }

        var sipPort = FreePorts.Next();
        _engine = await EngineProcess.StartAsync(Directory, sipPort, EngineConfigs.Standard(sipPort), $"--Database:ConnectionString={Database}");
        Http.BaseAddress = await _engine.WaitForHttpBaseAddressAsync();
    }

    public async Task<string> CreateKeyAsync(string organisation)
    {
        var created = await EngineCli.RunAsync(Directory, Database, "keys", "create", "--org", organisation, "--name", "tests");
        Assert.True(created.Code == 0, created.Err);
        return created.Out.Trim();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    private static async Task<Guid> IdAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<Guid> InsertCallAsync(NpgsqlDataSource dataSource, Guid organisation, string number, Guid campaign, DateTimeOffset startedAt)
    {
        await using var command = dataSource.CreateCommand("""
            insert into calls (organisation_id, tracking_number, campaign_id, sip_call_id, caller_number, started_at, ended_at, disposition)
            values ($1, $2, $3, $4, '+15557654321', $5, $5 + interval '1 minute', 'answered') returning id
            """);
        command.Parameters.Add(new() { Value = organisation });
        command.Parameters.Add(new() { Value = number });
        command.Parameters.Add(new() { Value = campaign });
        command.Parameters.Add(new() { Value = Guid.NewGuid().ToString("N") + "@test" });
        command.Parameters.Add(new() { Value = startedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return (Guid)(await command.ExecuteScalarAsync())!;
    }
}
