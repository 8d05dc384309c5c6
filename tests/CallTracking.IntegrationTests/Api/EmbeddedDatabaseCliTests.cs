using System.Net;
using System.Net.Http.Headers;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Api;

/// <summary>The database commands with the embedded cluster: beside a running engine they use its cluster and leave it running.</summary>
public sealed class EmbeddedDatabaseCliTests
{
    [Fact]
    public async Task Migrate_provision_and_keys_beside_a_running_engine_use_its_cluster_and_leave_it_running()
    {
        var directory = TestDirectory.Create();
        var sipPort = FreePorts.Next();
        await using var engine = await EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort));
        var http = await engine.WaitForHttpBaseAddressAsync();

        var migrated = await EngineCli.RunAsync(directory, null, "migrate");
        Assert.True(migrated.Code == 0, migrated.Err);
        Assert.Contains("nothing applied", migrated.Out, StringComparison.Ordinal);

        var file = directory.File("provision.json");
        await File.WriteAllTextAsync(file, """{ "Organisations": [ { "Name": "Solo" } ] }""");
        var provisioned = await EngineCli.RunAsync(directory, null, "provision", file);
        Assert.True(provisioned.Code == 0, provisioned.Err);
        Assert.Contains("created organisation Solo", provisioned.Out, StringComparison.Ordinal);

        var created = await EngineCli.RunAsync(directory, null, "keys", "create", "--org", "Solo");
        Assert.True(created.Code == 0, created.Err);

        // The engine's database is still up after the three commands exited.
        using var client = new HttpClient { BaseAddress = http };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/organisations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", created.Out.Trim());
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Solo\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
