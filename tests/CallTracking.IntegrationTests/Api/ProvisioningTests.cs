using CallTracking.IntegrationTests.Infrastructure;
using Npgsql;

namespace CallTracking.IntegrationTests.Api;

/// <summary><c>calltracking provision FILE</c> as a process against a real PostgreSQL (a fresh database per test).</summary>
public sealed class ProvisioningTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string File1 = """
        {
          "Organisations": [
            {
              "Name": "Acme Plumbing", "Parent": "Agency X", "TimeZone": "America/New_York",
              "Plans": [ { "Name": "main", "Announcement": "none", "Forward": [ { "To": "sip:desk@127.0.0.1:5099", "RingSeconds": 20 } ] } ],
              "Campaigns": [ { "Name": "Google Ads", "Plan": "main" }, { "Name": "Radio" } ],
              "Numbers": [
                { "Number": "+15551230001", "Campaign": "Google Ads", "Plan": "main", "Name": "GA landing" },
                { "Number": "+15551230002", "Campaign": "Radio" }
              ]
            },
            { "Name": "Agency X" }
          ],
          "Trunks": [ { "Name": "twilio", "Allow": [ "54.172.60.0/30" ] } ]
        }
        """;

    [Fact]
    public async Task Applying_the_same_file_twice_changes_nothing_the_second_time()
    {
        var directory = TestDirectory.Create();
        var database = await server.CreateDatabaseAsync();
        var file = directory.File("provision.json");
        await File.WriteAllTextAsync(file, File1);

        var first = await EngineCli.RunAsync(directory, database, "provision", file);
        Assert.True(first.Code == 0, first.Err);
        Assert.Contains("created organisation Agency X", first.Out, StringComparison.Ordinal);
        Assert.Contains("created number +15551230001", first.Out, StringComparison.Ordinal);
        Assert.Contains("8 created, 0 updated, 0 unchanged", first.Out, StringComparison.Ordinal);

        var stamps = await UpdatedAtAsync(database);
        var second = await EngineCli.RunAsync(directory, database, "provision", file);
        Assert.True(second.Code == 0, second.Err);
        Assert.Contains("no changes (8 unchanged)", second.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("created", second.Out, StringComparison.Ordinal);
        Assert.Equal(stamps, await UpdatedAtAsync(database));

        Assert.Equal(2L, await ScalarAsync(database, "select count(*) from organisations"));
        Assert.Equal(2L, await ScalarAsync(database, "select count(*) from tracking_numbers"));
        Assert.Equal("Agency X", await ScalarAsync(database, "select p.name from organisations o join organisations p on p.id = o.parent_id where o.name = 'Acme Plumbing'"));
    }

    [Fact]
    public async Task Changing_one_field_updates_that_row_only()
    {
        var directory = TestDirectory.Create();
        var database = await server.CreateDatabaseAsync();
        var file = directory.File("provision.json");
        await File.WriteAllTextAsync(file, File1);
        Assert.Equal(0, (await EngineCli.RunAsync(directory, database, "provision", file)).Code);
        var before = await UpdatedAtAsync(database);

        await File.WriteAllTextAsync(file, File1.Replace("\"Campaign\": \"Radio\"", "\"Campaign\": \"Google Ads\"", StringComparison.Ordinal));
        var changed = await EngineCli.RunAsync(directory, database, "provision", file);
        Assert.True(changed.Code == 0, changed.Err);
        Assert.Contains("updated number +15551230002 (campaign)", changed.Out, StringComparison.Ordinal);
        Assert.Contains("0 created, 1 updated, 7 unchanged", changed.Out, StringComparison.Ordinal);

        var after = await UpdatedAtAsync(database);
        var differing = before.Keys.Where(k => before[k] != after[k]).ToList();
        Assert.Equal(["number +15551230002"], differing);
        Assert.Equal("Google Ads", await ScalarAsync(database, "select c.name from tracking_numbers n join campaigns c on c.id = n.campaign_id where n.number = '+15551230002'"));
    }

    [Fact]
    public async Task A_bad_file_applies_nothing_names_the_json_path_and_exits_78()
    {
        var directory = TestDirectory.Create();
        var database = await server.CreateDatabaseAsync();
        var file = directory.File("provision.json");

        // Valid in shape; the second number's campaign does not exist, which only the database can tell.
        await File.WriteAllTextAsync(file, File1.Replace("\"Campaign\": \"Radio\"", "\"Campaign\": \"Billboards\"", StringComparison.Ordinal));
        var result = await EngineCli.RunAsync(directory, database, "provision", file);
        Assert.Equal(78, result.Code);
        Assert.Contains("nothing was applied", result.Err, StringComparison.Ordinal);
        Assert.Contains("$.Organisations[0].Numbers[1].Campaign: campaign \"Billboards\" does not exist", result.Err, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(database, "select count(*) from organisations"));
        Assert.Equal(0L, await ScalarAsync(database, "select count(*) from trunks"));

        // A shape error is reported with its path too, before the database is touched.
        await File.WriteAllTextAsync(file, """{ "Organisations": [ { "Name": "B", "Numbers": [ { "Number": "5551234" } ] } ] }""");
        var shape = await EngineCli.RunAsync(directory, database, "provision", file);
        Assert.Equal(78, shape.Code);
        Assert.Contains("$.Organisations[0].Numbers[0].Number", shape.Err, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(database, "select count(*) from organisations"));
    }

    [Fact]
    public async Task A_plan_call_control_would_refuse_applies_nothing_and_exits_78()
    {
        var directory = TestDirectory.Create();
        var database = await server.CreateDatabaseAsync();
        var file = directory.File("provision.json");
        string[] office = ["--Trunks:0:Name=office", "--Trunks:0:Outbound:Uri=sip:127.0.0.1:5099", "--Trunks:0:Outbound:OptionsIntervalSeconds=0"];
        var plans = """
            "Plans": [ { "Name": "main", "Forward": [ { "To": "+15559870001", "Trunk": "offce" } ] }, { "Name": "old", "Ring": [ "+15559870001" ] } ],
            """;
        await File.WriteAllTextAsync(file, File1.Replace("\"Plans\": [ { \"Name\": \"main\", \"Announcement\": \"none\", \"Forward\": [ { \"To\": \"sip:desk@127.0.0.1:5099\", \"RingSeconds\": 20 } ] } ],", plans, StringComparison.Ordinal));

        var result = await EngineCli.RunAsync(directory, database, ["provision", file, .. office]);
        Assert.Equal(78, result.Code);
        Assert.Contains("nothing was applied", result.Err, StringComparison.Ordinal);
        Assert.Contains("$.Organisations[0].Plans[0].Forward[0].Trunk: trunk \"offce\" is not defined (defined: office)", result.Err, StringComparison.Ordinal);
        Assert.Contains("$.Organisations[0].Plans[1].Ring: unknown key", result.Err, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(database, "select count(*) from organisations"));
        Assert.Equal(0L, await ScalarAsync(database, "select count(*) from routing_plans"));

        // Spelt right, the configured trunk is accepted.
        await File.WriteAllTextAsync(file, File1.Replace("\"To\": \"sip:desk@127.0.0.1:5099\"", "\"To\": \"+15559870001\", \"Trunk\": \"office\"", StringComparison.Ordinal));
        var applied = await EngineCli.RunAsync(directory, database, ["provision", file, .. office]);
        Assert.True(applied.Code == 0, applied.Err);
        Assert.Equal(1L, await ScalarAsync(database, "select count(*) from routing_plans where definition -> 'Forward' -> 0 ->> 'Trunk' = 'office'"));

        // The same file at start: the engine refuses to start (78) and applies nothing.
        await File.WriteAllTextAsync(file, """
            { "Organisations": [ { "Name": "C", "Plans": [ { "Name": "p", "Forward": [ { "To": "+15559870001", "Trunk": "offce" } ] } ] } ] }
            """);
        var sipPort = FreePorts.Next();
        var failed = await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort),
            $"--Database:ConnectionString={database}", $"--Provisioning:File={file}"));
        Assert.Contains("exited with code 78", failed.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(database, "select count(*) from organisations where name = 'C'"));
    }

    [Fact]
    public async Task The_engine_applies_Provisioning_File_at_start_and_refuses_a_bad_one_with_78()
    {
        var directory = TestDirectory.Create();
        var database = await server.CreateDatabaseAsync();
        var file = directory.File("provision.json");
        await File.WriteAllTextAsync(file, File1);
        var sipPort = FreePorts.Next();
        await using (var engine = await EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort),
            $"--Database:ConnectionString={database}", $"--Provisioning:File={file}"))
        {
            Assert.Contains("applied: 8 created", engine.Log, StringComparison.Ordinal);
        }

        Assert.Equal(2L, await ScalarAsync(database, "select count(*) from tracking_numbers"));

        await File.WriteAllTextAsync(file, """{ "Organisations": [ { "Name": "C", "Parent": "Nobody" } ] }""");
        var failed = await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort),
            $"--Database:ConnectionString={database}", $"--Provisioning:File={file}"));
        Assert.Contains("exited with code 78", failed.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(database, "select count(*) from organisations where name = 'C'"));
    }

    private static async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>updated_at of every provisioned row, keyed "kind name".</summary>
    private static async Task<Dictionary<string, DateTime>> UpdatedAtAsync(string database)
    {
        const string sql = """
            select 'organisation ' || name, updated_at from organisations
            union all select 'trunk ' || name, updated_at from trunks
            union all select 'plan ' || name, updated_at from routing_plans
            union all select 'campaign ' || name, updated_at from campaigns
            union all select 'number ' || number, updated_at from tracking_numbers
            """;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var stamps = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            stamps[reader.GetString(0)] = reader.GetDateTime(1);
        }

        return stamps;
    }
}
