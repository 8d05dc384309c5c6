using System.Globalization;
using System.Text.RegularExpressions;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Media;
using CallTracking.IntegrationTests.Sip;
using Npgsql;

namespace CallTracking.IntegrationTests.Grpc.Engine;

/// <summary>
/// One engine process for a class of gRPC interop tests, on its own PostgreSQL database, provisioned with two
/// organisations: "Acme" (a number forwarded to a sipp business phone, and a number the engine answers itself)
/// and "Bravo" (a number the engine answers), an API key for each (<c>calltracking keys create</c>). sipp places
/// the calls (<see cref="PlaceCallsAsync"/>); <see cref="BaselineAsync"/> places one call per organisation once,
/// for the tests that only read.
/// </summary>
public sealed partial class EngineGrpcFixture : IAsyncLifetime
{
    public const string AcmeForwarded = "+15551230031";
    public const string AcmeDirect = "+15551230032";
    public const string BravoNumber = "+15551230041";
    public const string BusinessDestination = "+15559870001";

    private const string Provisioning = $$"""
        {
          "Organisations": [
            { "Name": "Acme",
              "Plans": [
                { "Name": "forward", "Announcement": "none", "Forward": [ { "To": "{{BusinessDestination}}", "Trunk": "business", "RingSeconds": 10 } ] },
                { "Name": "answer", "Announcement": "none" } ],
              "Campaigns": [ { "Name": "Search", "Plan": "forward" } ],
              "Numbers": [ { "Number": "{{AcmeForwarded}}", "Campaign": "Search", "Plan": "forward" },
                           { "Number": "{{AcmeDirect}}", "Plan": "answer" } ] },
            { "Name": "Bravo",
              "Plans": [ { "Name": "answer", "Announcement": "none" } ],
              "Numbers": [ { "Number": "{{BravoNumber}}", "Plan": "answer" } ] }
          ]
        }
        """;

    private readonly PostgresServer _server = new();
    private readonly SemaphoreSlim _baselineGate = new(1, 1);
    private EngineGrpcBaseline? _baseline;
    private EngineProcess? _engine;
    private Sipp? _business;
    private string _pcap = string.Empty;

    public TestDirectory Directory { get; } = TestDirectory.Create("EngineGrpc");

    public EngineProcess Engine => _engine ?? throw new InvalidOperationException("The engine has not started.");

    public PostgresServer Server => _server;

    public string Database => _server.ConnectionString;

    /// <summary>The engine's gRPC endpoint as the peers take it: <c>127.0.0.1:PORT</c>.</summary>
    public string Target { get; private set; } = string.Empty;

    public HttpClient Http { get; } = new();

    public string AcmeKey { get; private set; } = string.Empty;

    public string BravoKey { get; private set; } = string.Empty;

    public Guid Acme { get; private set; }

    public Guid Bravo { get; private set; }

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        var businessPort = FreePorts.Next();
        var sipPort = FreePorts.Next();
        var provisioning = Directory.File("provision.json");
        await File.WriteAllTextAsync(provisioning, Provisioning);
        var config = new
        {
            Sip = new { Listen = new[] { $"udp:127.0.0.1:{sipPort}", $"tcp:127.0.0.1:{sipPort}" } },
            Media = new { Address = "127.0.0.1" },
            Trunks = new object[]
            {
                new { Name = "carrier", Allow = new[] { "127.0.0.1/32" } },
                // No OPTIONS pings: sipp would take one for the scenario's call.
                new { Name = "business", Outbound = new Dictionary<string, object> { ["Uri"] = $"sip:127.0.0.1:{businessPort.ToString(CultureInfo.InvariantCulture)}", ["OptionsIntervalSeconds"] = 0 } },
            },
        };
        _engine = await EngineProcess.StartAsync(
            Directory,
            sipPort,
            config,
            $"--Database:ConnectionString={Database}",
            $"--Provisioning:File={provisioning}",
            // The streams' open/close lines (CallEventsService) tell the tests when a stream is registered.
            "--Logging:LogLevel:CallTracking.Engine.Grpc=Debug");
        Http.BaseAddress = await _engine.WaitForHttpBaseAddressAsync();
        Target = await WaitForGrpcTargetAsync(_engine);

        AcmeKey = await CreateKeyAsync("Acme");
        BravoKey = await CreateKeyAsync("Bravo");
        Acme = await ScalarAsync<Guid>("select id from organisations where name = 'Acme'");
        Bravo = await ScalarAsync<Guid>("select id from organisations where name = 'Bravo'");

        // The business phone: answers every call the engine forwards, echoes its RTP, takes the BYE.
        _business = await Sipp.StartAsync(Directory, new SippOptions
        {
            Name = "business",
            Scenario = "peers/uas_ring_answer_echo.xml",
            LocalPort = businessPort,
            Timeout = TimeSpan.FromMinutes(15),
            RecvTimeout = TimeSpan.FromSeconds(30),
            ExtraArguments = ["-rtp_echo"],
        });
        _pcap = MediaCalls.WritePcap(Directory, TestAudio.Sweep(TimeSpan.FromSeconds(1)), G711Law.MuLaw);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        _baselineGate.Dispose();
        if (_business is not null)
        {
            await _business.StopAsync();
            await _business.DisposeAsync();
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    /// <summary>One finished call to <see cref="AcmeForwarded"/> and one to <see cref="BravoNumber"/>, placed once per class.</summary>
    public async Task<EngineGrpcBaseline> BaselineAsync()
    {
        await _baselineGate.WaitAsync();
        try
        {
            _baseline ??= new EngineGrpcBaseline(
                (await PlaceCallsAsync(AcmeForwarded, "+15550000101", 1)).Single(),
                (await PlaceCallsAsync(BravoNumber, "+15550000201", 1)).Single());
            return _baseline;
        }
        finally
        {
            _baselineGate.Release();
        }
    }

    /// <summary>
    /// sipp places <paramref name="calls"/> calls (PCMU, 1 s of audio, BYE after 1.5 s; two a second) from
    /// <paramref name="caller"/> to <paramref name="number"/>; returns the engine's call ids in order once every call
    /// has ended and its recording is written.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> PlaceCallsAsync(string number, string caller, int calls)
    {
        var scenario = Directory.File($"uac-{caller.TrimStart('+')}.xml");
        if (!File.Exists(scenario))
        {
            // The shipped caller scenario with another From number, so each test's calls are told apart by caller.
            var text = await File.ReadAllTextAsync(Path.Combine(Sipp.ScenarioDirectory, SippAudio.PlayAudioScenario(G711Law.MuLaw)));
            await File.WriteAllTextAsync(scenario, text.Replace("+15550000001", caller, StringComparison.Ordinal));
        }

        var uac = await Sipp.RunAsync(Directory, SippAgainstEngine.At(Engine, new SippOptions
        {
            Name = "uac",
            Scenario = scenario,
            Service = number,
            Calls = calls,
            Rate = 2,
            Keys = SippAudio.PlayAudioKeys(_pcap, TimeSpan.FromSeconds(1.5)),
            Timeout = TimeSpan.FromSeconds(15 + calls),
        }));
        SippAgainstEngine.AssertAllCallsSucceeded(uac, calls, Engine);
        var sipCallIds = uac.Messages.Where(m => !m.Received && m.Method == "INVITE").Select(m => m.CallId!).Distinct().ToList();
        Assert.Equal(calls, sipCallIds.Count);
        var ids = new List<Guid>();
        foreach (var sipCallId in sipCallIds)
        {
            ids.Add(await WaitForFinishedCallAsync(sipCallId));
        }

        return ids;
    }

    /// <summary>Acme's calls in ListCalls order (started_at, then id, descending).</summary>
    public Task<List<Guid>> AcmeCallsNewestFirstAsync() =>
        ReadAsync("select id from calls where organisation_id = $1 order by started_at desc, id desc", Acme, r => r.GetGuid(0));

    /// <summary>The ids of the stored events of calls attributed to <paramref name="campaign"/>, in order.</summary>
    public Task<List<long>> EventsOfCampaignAsync(Guid campaign) =>
        ReadAsync("select e.id from events e join calls c on c.id = e.call_id where c.campaign_id = $1 order by e.id", campaign, r => r.GetInt64(0));

    /// <summary>The events table's rows of these calls: (id, kind, call), in id order.</summary>
    public Task<List<(long Id, string Kind, Guid Call)>> EventsOfAsync(IEnumerable<Guid> calls) =>
        ReadAsync("select id, kind, call_id from events where call_id = any($1) order by id", calls.ToArray(), r => (r.GetInt64(0), r.GetString(1), r.GetGuid(2)));

    /// <summary>How many Subscribe streams the engine has logged as opened (CallEventsService, Debug).</summary>
    public int StreamsOpened => OpenedLine().Count(Engine.Log);

    /// <summary>Waits until the engine has logged <paramref name="count"/> opened streams: from then on their events reach them.</summary>
    public async Task WaitForStreamsOpenedAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (StreamsOpened < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{StreamsOpened} of {count} event streams opened.\n{Engine.LogTail(40)}");
            await Task.Delay(20);
        }
    }

    /// <summary>The subscriber count of the engine's last stream open/close line, once it has logged <paramref name="closedAtLeast"/> closes.</summary>
    public async Task<int> WaitForStreamsClosedAsync(int closedAtLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var log = Engine.Log;
            if (ClosedLine().Count(log) >= closedAtLeast)
            {
                var last = SubscribersLine().Matches(log)[^1];
                return int.Parse(last.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            Assert.True(DateTime.UtcNow < deadline, $"fewer than {closedAtLeast} event streams closed.\n{Engine.LogTail(40)}");
            await Task.Delay(20);
        }
    }

    public int StreamsClosed => ClosedLine().Count(Engine.Log);

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary><c>127.0.0.1:PORT</c> of the engine's logged gRPC address.</summary>
    public static async Task<string> WaitForGrpcTargetAsync(EngineProcess engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var deadline = DateTime.UtcNow + EngineProcess.ReadyTimeout;
        while (engine.GrpcAddress is null)
        {
            if (engine.HasExited || DateTime.UtcNow > deadline)
            {
                throw new EngineStartException("The engine logged no \"gRPC listening on\" line.", engine);
            }

            await Task.Delay(50);
        }

        return $"{engine.GrpcAddress.Host}:{engine.GrpcAddress.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    private async Task<List<T>> ReadAsync<T>(string sql, object parameter, Func<NpgsqlDataReader, T> row)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new() { Value = parameter });
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(row(reader));
        }

        return rows;
    }

    private async Task<string> CreateKeyAsync(string organisation)
    {
        var created = await EngineCli.RunAsync(Directory, Database, "keys", "create", "--org", organisation, "--name", "grpc-interop");
        Assert.True(created.Code == 0, created.Err);
        return created.Out.Trim();
    }

    /// <summary>The call's id once its row has a disposition and its recording is recorded (both are written after the BYE).</summary>
    private async Task<Guid> WaitForFinishedCallAsync(string sipCallId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                """
                select c.id from calls c join recordings r on r.call_id = c.id
                where c.sip_call_id = $1 and c.disposition is not null
                  and exists (select 1 from events e where e.call_id = c.id and e.kind = 'recording.ready')
                """,
                connection);
            command.Parameters.Add(new() { Value = sipCallId });
            if (await command.ExecuteScalarAsync() is Guid id)
            {
                return id;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No finished call {sipCallId} with a recording.\n{Engine.LogTail(60)}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex("Event stream opened at event")]
    private static partial Regex OpenedLine();

    [GeneratedRegex("Event stream closed after event")]
    private static partial Regex ClosedLine();

    [GeneratedRegex(@"Event stream (?:opened|closed) [^\n]*?; (\d+) subscribers on this node")]
    private static partial Regex SubscribersLine();
}
