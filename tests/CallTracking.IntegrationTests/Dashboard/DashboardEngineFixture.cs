using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Dashboard;

/// <summary>
/// One engine process for the dashboard tests, on its own PostgreSQL database: organisation "Acme" (a campaign
/// and a tracking number) and "Other"; dashboard users alice and bob of Acme, added with
/// <c>calltracking users add --password-stdin</c>; an API key of Acme.
/// </summary>
public sealed class DashboardEngineFixture : IAsyncLifetime
{
    public const string Password = "correct horse battery";

    private const string Provisioning = """
        {
          "Organisations": [
            { "Name": "Acme",
              "Plans": [ { "Name": "main", "Announcement": "none", "Forward": [ { "To": "sip:desk@127.0.0.1:5099", "RingSeconds": 20 } ] } ],
              "Campaigns": [ { "Name": "Google Ads", "Plan": "main" } ],
              "Numbers": [ { "Number": "+15551230011", "Name": "Landing page", "Campaign": "Google Ads", "Plan": "main" } ] },
            { "Name": "Other" }
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

    public Uri BaseAddress => Http.BaseAddress!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        var file = Directory.File("provision.json");
        await File.WriteAllTextAsync(file, Provisioning);
        var provisioned = await EngineCli.RunAsync(Directory, Database, "provision", file);
        Assert.True(provisioned.Code == 0, provisioned.Err);

        await AddUserAsync("Acme", "alice", Password);
        await AddUserAsync("Acme", "bob", Password);

        var key = await EngineCli.RunAsync(Directory, Database, "keys", "create", "--org", "Acme", "--name", "dashboard tests");
        Assert.True(key.Code == 0, key.Err);
        ApiKey = key.Out.Trim();

        var sipPort = FreePorts.Next();
        _engine = await EngineProcess.StartAsync(Directory, sipPort, EngineConfigs.Standard(sipPort), $"--Database:ConnectionString={Database}");
        Http.BaseAddress = await _engine.WaitForHttpBaseAddressAsync();
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
}
