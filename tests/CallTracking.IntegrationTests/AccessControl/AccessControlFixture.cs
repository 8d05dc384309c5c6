using CallTracking.IntegrationTests.Grpc.Engine;
using CallTracking.IntegrationTests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.IntegrationTests.AccessControl;

/// <summary>
/// One engine process on its own PostgreSQL database for the access-control tests: an agency "Agency" with its
/// client "Alpha" (a number, +15551230031, whose plan records the caller and forwards nowhere), and "Beta"; a key
/// per role (agency admin on Agency, the others on Alpha; the agent bound to <see cref="AgentDestination"/>) and an
/// admin key for Beta, made with <c>calltracking keys create --role</c>; two Alpha calls inserted directly (one bridged
/// to the agent, with a recording file) and one Beta call with a recording. Links live
/// <see cref="LinkLifetime"/>; the PCI keys are *1 (pause) and *2 (resume).
/// </summary>
public sealed class AccessControlFixture : IAsyncLifetime
{
    public const string AlphaNumber = "+15551230031";
    public const string AgentDestination = "sip:agent@127.0.0.1:5098";
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromSeconds(8);

    private const string Provisioning = """
        {
          "Organisations": [
            { "Name": "Agency" },
            { "Name": "Alpha", "Parent": "Agency",
              "Plans": [ { "Name": "record", "Announcement": "none" } ],
              "Numbers": [ { "Number": "+15551230031", "Plan": "record" } ] },
            { "Name": "Beta" }
          ]
        }
        """;

    private readonly PostgresServer _server = new();
    private EngineProcess? _engine;

    public TestDirectory Directory { get; } = TestDirectory.Create("AccessControl");

    public string Database => _server.ConnectionString;

    public HttpClient Http { get; } = new();

    public EngineProcess Engine => _engine!;

    public string GrpcTarget { get; private set; } = string.Empty;

    /// <summary>Role name (as the CLI takes it) → key.</summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    public string BetaKey { get; private set; } = string.Empty;

    public Guid Alpha { get; private set; }

    public Guid Beta { get; private set; }

    /// <summary>Alpha's call bridged to the agent, with a recording.</summary>
    public Guid AgentCall { get; private set; }

    /// <summary>Alpha's call answered by someone else.</summary>
    public Guid OtherCall { get; private set; }

    public Guid BetaCall { get; private set; }

    public byte[] Recording { get; } = new byte[4000];

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        var file = Directory.File("provision.json");
        await File.WriteAllTextAsync(file, Provisioning);
        var provisioned = await EngineCli.RunAsync(Directory, Database, "provision", file);
        Assert.True(provisioned.Code == 0, provisioned.Err);

        Keys["agency_admin"] = await CreateKeyAsync("Agency", "agency_admin");
        foreach (var role in new[] { "org_admin", "manager", "analyst" })
        {
            Keys[role] = await CreateKeyAsync("Alpha", role);
        }

        Keys["agent"] = await CreateKeyAsync("Alpha", "agent", "--agent-destination", AgentDestination);
        BetaKey = await CreateKeyAsync("Beta", "org_admin");

        await using var dataSource = NpgsqlDataSource.Create(Database);
        Alpha = await ScalarAsync<Guid>(dataSource, "select id from organisations where name = 'Alpha'");
        Beta = await ScalarAsync<Guid>(dataSource, "select id from organisations where name = 'Beta'");
        var start = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        AgentCall = await InsertCallAsync(dataSource, Alpha, start, AgentDestination);
        OtherCall = await InsertCallAsync(dataSource, Alpha, start.AddMinutes(5), "sip:someone@127.0.0.1:5097");
        BetaCall = await InsertCallAsync(dataSource, Beta, start.AddMinutes(7), null);
        Random.Shared.NextBytes(Recording);
        foreach (var call in new[] { AgentCall, BetaCall })
        {
            var path = Directory.File($"{call}.ogg");
            await File.WriteAllBytesAsync(path, Recording);
            await using var command = dataSource.CreateCommand("insert into recordings (call_id, path, bytes, codec, channels) values ($1, $2, $3, 'opus', 2)");
            command.Parameters.Add(new() { Value = call });
            command.Parameters.Add(new() { Value = path });
            command.Parameters.Add(new() { Value = (long)Recording.Length });
            await command.ExecuteNonQueryAsync();
        }

        var sipPort = FreePorts.Next();
        _engine = await EngineProcess.StartAsync(
            Directory,
            sipPort,
            EngineConfigs.Standard(sipPort),
            $"--Database:ConnectionString={Database}",
            $"--Security:LinkLifetime={LinkLifetime}",
            "--Privacy:PauseDtmf=*1",
            "--Privacy:ResumeDtmf=*2");
        Http.BaseAddress = await _engine.WaitForHttpBaseAddressAsync();
        GrpcTarget = await EngineGrpcFixture.WaitForGrpcTargetAsync(_engine);
    }

    public async Task<string> CreateKeyAsync(string organisation, string role, params string[] more)
    {
        var created = await EngineCli.RunAsync(Directory, Database, ["keys", "create", "--org", organisation, "--name", role, "--role", role, .. more]);
        Assert.True(created.Code == 0, created.Err);
        return created.Out.Trim();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(Database);
        return await ScalarAsync<T>(dataSource, sql, parameters);
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

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new() { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<Guid> InsertCallAsync(NpgsqlDataSource dataSource, Guid organisation, DateTimeOffset startedAt, string? answeredBy)
    {
        Guid id;
        await using (var command = dataSource.CreateCommand("""
            insert into calls (organisation_id, tracking_number, sip_call_id, caller_number, started_at, answered_at, ended_at, disposition)
            values ($1, '+15551230031', $2, '+15557654321', $3, $3, $3 + interval '1 minute', 'answered') returning id
            """))
        {
            command.Parameters.Add(new() { Value = organisation });
            command.Parameters.Add(new() { Value = Guid.NewGuid().ToString("N") + "@test" });
            command.Parameters.Add(new() { Value = startedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            id = (Guid)(await command.ExecuteScalarAsync())!;
        }

        if (answeredBy is not null)
        {
            await using var leg = dataSource.CreateCommand("insert into call_legs (call_id, direction, destination, started_at, answered_at) values ($1, 'outbound', $2, $3, $3)");
            leg.Parameters.Add(new() { Value = id });
            leg.Parameters.Add(new() { Value = answeredBy });
            leg.Parameters.Add(new() { Value = startedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await leg.ExecuteNonQueryAsync();
        }

        return id;
    }
}
