using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Dashboard;

/// <summary>
/// One engine process for the dashboard tests, on its own PostgreSQL database. Organisation "Acme": a plan that
/// forwards to <see cref="BusinessNumber"/> through the outbound trunk "business" (sipp on
/// <see cref="BusinessPort"/>, started by the test that places a call), campaign "Google Ads", tracking number
/// <see cref="TrackingNumber"/> ("Landing page"); dashboard users alice and bob; an API key (<see cref="ApiKey"/>).
/// Organisation "Other": campaign "Spring mailer", number +15551230012 ("Mailer"), user olga and an API key
/// (<see cref="OtherApiKey"/>) — it never gets calls, so its board and call list stay empty whatever ran before.
/// Users are added with <c>calltracking users add --password-stdin</c>.
/// </summary>
public sealed class DashboardEngineFixture : IAsyncLifetime
{
    public const string Password = "correct horse battery";

    /// <summary>Acme's tracking number, the one the sipp caller dials.</summary>
    public const string TrackingNumber = "+15551230011";

    /// <summary>Where Acme's plan forwards calls: the business phone behind the "business" trunk.</summary>
    public const string BusinessNumber = "+14155550199";

    private const string Provisioning = $$"""
        {
          "Organisations": [
            { "Name": "Acme",
              "Plans": [ { "Name": "main", "Announcement": "none", "Forward": [ { "To": "{{BusinessNumber}}", "Trunk": "business", "RingSeconds": 20 } ] } ],
              "Campaigns": [ { "Name": "Google Ads", "Plan": "main" } ],
              "Numbers": [ { "Number": "{{TrackingNumber}}", "Name": "Landing page", "Campaign": "Google Ads", "Plan": "main" } ] },
            { "Name": "Other",
              "Plans": [ { "Name": "main", "Announcement": "none" } ],
              "Campaigns": [ { "Name": "Spring mailer", "Plan": "main" } ],
              "Numbers": [ { "Number": "+15551230012", "Name": "Mailer", "Campaign": "Spring mailer", "Plan": "main" } ] }
          ],
          "Trunks": [ { "Name": "carrier", "Allow": [ "127.0.0.1/32" ] } ]
        }
        """;

    private readonly PostgresServer _server = new();
    private EngineProcess? _engine;

    public TestDirectory Directory { get; } = TestDirectory.Create("DashboardEngine");

    public string Database => _server.ConnectionString;

    public HttpClient Http { get; } = new();

    public string ApiKey { get; private set; } = "";

    public string OtherApiKey { get; private set; } = "";

    /// <summary>The UDP port the "business" trunk sends its INVITEs to (chosen before the engine starts).</summary>
    public int BusinessPort { get; } = FreePorts.Next();

    public Uri BaseAddress => Http.BaseAddress!;

    public EngineProcess Engine => _engine ?? throw new InvalidOperationException("the engine has not started");

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        var file = Directory.File("provision.json");
        await File.WriteAllTextAsync(file, Provisioning);

        var sipPort = FreePorts.Next();
        var httpPort = FreePorts.Next();
        var config = new
        {
            Sip = new { Listen = new[] { $"udp:127.0.0.1:{sipPort}", $"tcp:127.0.0.1:{sipPort}" } },
            Media = new { Address = "127.0.0.1" },
            Trunks = new object[]
            {
                new { Name = "carrier", Allow = new[] { "127.0.0.1/32" } },

                // No OPTIONS pings: sipp would take one for the scenario's call.
                new { Name = "business", Outbound = new { Uri = $"sip:127.0.0.1:{BusinessPort}", OptionsIntervalSeconds = 0 } },
            },
        };

        // The engine provisions the file as it starts: the plan's trunk is defined by its configuration.
        // Http:PublicUrl names localhost while the tests browse 127.0.0.1: signed links point at another origin than
        // the page, as behind a proxy, and the dashboard must still play them.
        _engine = await EngineProcess.StartAsync(
            Directory,
            sipPort,
            config,
            $"--Database:ConnectionString={Database}",
            $"--Provisioning:File={file}",
            $"--Http:Listen=http://127.0.0.1:{httpPort}",
            $"--Http:PublicUrl=http://localhost:{httpPort}");
        Http.BaseAddress = await _engine.WaitForHttpBaseAddressAsync();

        foreach (var (organisation, user) in new[] { ("Acme", "alice"), ("Acme", "bob"), ("Other", "olga") })
        {
            var added = await AddUserAsync(organisation, user, Password);
            Assert.True(added.Code == 0, added.Err);
        }

        ApiKey = await CreateKeyAsync("Acme");
        OtherApiKey = await CreateKeyAsync("Other");
    }

    public async Task<(int Code, string Out, string Err)> AddUserAsync(string organisation, string username, string password)
    {
        var added = await EngineCli.RunWithInputAsync(Directory, Database, password + "\n", "users", "add", organisation, username, "--password-stdin");
        return added;
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

    private async Task<string> CreateKeyAsync(string organisation)
    {
        var key = await EngineCli.RunAsync(Directory, Database, "keys", "create", "--org", organisation, "--name", "dashboard tests");
        Assert.True(key.Code == 0, key.Err);
        return key.Out.Trim();
    }
}
