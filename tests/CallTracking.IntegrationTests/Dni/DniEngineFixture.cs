using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Dni;

/// <summary>
/// One engine process for the number insertion tests, on its own PostgreSQL database. Organisation "Acme": a plan
/// that answers and records (no forwarding), pool numbers <see cref="PoolNumbers"/> and the fallback
/// <see cref="FallbackNumber"/> — ordinary tracking numbers, so SIP routes them — and an API key (<see cref="ApiKey"/>).
/// </summary>
public sealed class DniEngineFixture : IAsyncLifetime
{
    public const string FallbackNumber = "+15557200009";

    public static readonly string[] PoolNumbers = ["+15557200001", "+15557200002"];

    private readonly PostgresServer _server = new();
    private EngineProcess? _engine;

    public TestDirectory Directory { get; } = TestDirectory.Create("DniEngine");

    public string Database => _server.ConnectionString;

    public HttpClient Http { get; } = new();

    public string ApiKey { get; private set; } = "";

    public Uri BaseAddress => Http.BaseAddress!;

    public EngineProcess Engine => _engine ?? throw new InvalidOperationException("the engine has not started");

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        var numbers = string.Join(", ", PoolNumbers.Append(FallbackNumber).Select(n => $$"""{ "Number": "{{n}}", "Name": "DNI {{n}}", "Campaign": "Website", "Plan": "main" }"""));
        var file = Directory.File("provision.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "Organisations": [
                { "Name": "Acme",
                  "Plans": [ { "Name": "main", "Announcement": "none" } ],
                  "Campaigns": [ { "Name": "Website", "Plan": "main" } ],
                  "Numbers": [ {{numbers}} ] }
              ],
              "Trunks": [ { "Name": "carrier", "Allow": [ "127.0.0.1/32" ] } ]
            }
            """);

        var sipPort = FreePorts.Next();
        var httpPort = FreePorts.Next();
        var config = new
        {
            Sip = new { Listen = new[] { $"udp:127.0.0.1:{sipPort}" } },
            Media = new { Address = "127.0.0.1" },
            Trunks = new object[] { new { Name = "carrier", Allow = new[] { "127.0.0.1/32" } } },
        };
        _engine = await EngineProcess.StartAsync(
            Directory,
            sipPort,
            config,
            $"--Database:ConnectionString={Database}",
            $"--Provisioning:File={file}",
            $"--Http:Listen=http://127.0.0.1:{httpPort}");
        Http.BaseAddress = await _engine.WaitForHttpBaseAddressAsync();
        var key = await EngineCli.RunAsync(Directory, Database, "keys", "create", "--org", "Acme", "--name", "dni tests");
        Assert.True(key.Code == 0, key.Err);
        ApiKey = key.Out.Trim();
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
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
