using CallTracking.IntegrationTests.Infrastructure;
using Npgsql;

namespace CallTracking.IntegrationTests.Storage;

/// <summary>Database:ConnectionString set: the engine uses that server and starts no PostgreSQL of its own.</summary>
public sealed class ExternalDatabaseTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Engine_with_a_connection_string_starts_no_cluster_and_migrates_that_database()
    {
        var directory = TestDirectory.Create("ExternalPg");
        var sipPort = FreePorts.Next();
        var database = await server.CreateDatabaseAsync();

        await using var engine = await EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort), $"--Database:ConnectionString={database}");

        Assert.False(Directory.Exists(Path.Combine(engine.DataPath, "pg")), engine.LogTail());
        Assert.Empty(EmbeddedCluster.Postmasters(engine.DataPath));
        Assert.Contains("Using the PostgreSQL server at", engine.Log, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        Assert.Equal(CallTracking.Engine.Storage.MigrationRunner.Embedded.Select(m => m.Version), await EmbeddedDatabaseTests.VersionsAsync(connection));
        Assert.Equal(0, await engine.StopAsync());
    }

    [Fact]
    public async Task Migrate_command_applies_the_migrations_once_and_then_has_nothing_to_do()
    {
        var directory = TestDirectory.Create("MigrateCmd");
        var database = await server.CreateDatabaseAsync();

        var first = await MigrateAsync(directory, database);
        var second = await MigrateAsync(directory, database);

        Assert.True(first.Code == 0, first.Output);
        Assert.Contains("applied 0001_initial", first.Output, StringComparison.Ordinal);
        Assert.True(second.Code == 0, second.Output);
        Assert.DoesNotContain("applied 0001", second.Output, StringComparison.Ordinal);
        Assert.Contains("nothing applied", second.Output, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        Assert.Equal(CallTracking.Engine.Storage.MigrationRunner.Embedded.Select(m => m.Version), await EmbeddedDatabaseTests.VersionsAsync(connection));
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "data", "pg")));
    }

    [Fact]
    public async Task Unreachable_database_stops_start_up_with_exit_code_69()
    {
        var directory = TestDirectory.Create("UnreachablePg");
        var sipPort = FreePorts.Next();
        var nobody = FreePorts.Next();

        var failure = await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(
            directory, sipPort, EngineConfigs.Standard(sipPort), $"--Database:ConnectionString=Host=127.0.0.1;Port={nobody};Username=x;Timeout=3"));

        Assert.Contains("code 69", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Database:ConnectionString", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> MigrateAsync(TestDirectory directory, string connectionString)
    {
        var engineDll = Path.Combine(AppContext.BaseDirectory, "calltracking.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        using var process = CapturedProcess.Start(
            host,
            [engineDll, "migrate", $"--Data:Path={Path.Combine(directory.Path, "data")}", $"--Database:ConnectionString={connectionString}"],
            directory.Path,
            directory.File("migrate-" + Guid.NewGuid().ToString("N")[..6] + ".log"));
        var code = await process.WaitForExitAsync();
        return (code, process.Output);
    }
}
