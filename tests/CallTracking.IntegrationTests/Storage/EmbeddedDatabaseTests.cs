using System.Globalization;
using CallTracking.IntegrationTests.Infrastructure;
using Npgsql;

namespace CallTracking.IntegrationTests.Storage;

/// <summary>The embedded default: no Database:ConnectionString, the engine runs its own PostgreSQL under Data:Path/pg.</summary>
public sealed class EmbeddedDatabaseTests
{
    [Fact]
    public async Task First_run_creates_the_cluster_applies_migrations_keeps_data_across_restarts_and_stops_it_on_exit()
    {
        var directory = TestDirectory.Create("EmbeddedPg");
        var sipPort = FreePorts.Next();
        var organisation = "Acme " + Guid.NewGuid().ToString("N")[..6];
        string dataPath;
        await using (var engine = await EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort)))
        {
            dataPath = engine.DataPath;
            Assert.True(File.Exists(Path.Combine(EmbeddedCluster.ClusterDirectory(dataPath), "PG_VERSION")), engine.LogTail());
            Assert.Contains("Creating the embedded PostgreSQL cluster at " + Path.Combine(dataPath, "pg"), engine.Log, StringComparison.Ordinal);
            Assert.Contains("Embedded PostgreSQL started on port", engine.Log, StringComparison.Ordinal);
            Assert.Single(EmbeddedCluster.Postmasters(dataPath));

            await using var connection = new NpgsqlConnection(EmbeddedCluster.ConnectionString(dataPath));
            await connection.OpenAsync();
            Assert.Equal(CallTracking.Engine.Storage.MigrationRunner.Embedded.Select(m => m.Version), await VersionsAsync(connection));
            await using var insert = new NpgsqlCommand("INSERT INTO organisations (name) VALUES ($1)", connection);
            insert.Parameters.Add(new() { Value = organisation });
            await insert.ExecuteNonQueryAsync();

            Assert.Equal(0, await engine.StopAsync());
            Assert.Contains("Embedded PostgreSQL at " + Path.Combine(dataPath, "pg") + " stopped", engine.Log, StringComparison.Ordinal);
        }

        Assert.Empty(EmbeddedCluster.Postmasters(dataPath));

        // A crash leaves postmaster.pid behind; its number may since belong to another process (here: ours).
        await File.WriteAllTextAsync(
            Path.Combine(EmbeddedCluster.ClusterDirectory(dataPath), "postmaster.pid"),
            string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}\n{EmbeddedCluster.ClusterDirectory(dataPath)}\n0\n5432\n"));

        var port = await File.ReadAllTextAsync(Path.Combine(dataPath, "pg", "port"));
        await using (var engine = await EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort)))
        {
            Assert.DoesNotContain("Creating the embedded PostgreSQL cluster", engine.Log, StringComparison.Ordinal);
            Assert.Contains("Embedded PostgreSQL started on port " + port.Trim(), engine.Log, StringComparison.Ordinal);
            await using var connection = new NpgsqlConnection(EmbeddedCluster.ConnectionString(dataPath));
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM organisations WHERE name = $1", connection);
            count.Parameters.Add(new() { Value = organisation });
            Assert.Equal(1L, await count.ExecuteScalarAsync());
            Assert.Equal(CallTracking.Engine.Storage.MigrationRunner.Embedded.Select(m => m.Version), await VersionsAsync(connection));
            Assert.Equal(0, await engine.StopAsync());
        }

        Assert.Empty(EmbeddedCluster.Postmasters(dataPath));
    }

    [Fact]
    public async Task Missing_server_binaries_stop_start_up_with_exit_code_69_naming_the_package()
    {
        var directory = TestDirectory.Create("NoPgBinaries");
        var sipPort = FreePorts.Next();

        var failure = await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(
            directory, sipPort, EngineConfigs.Standard(sipPort), "--Database:ServerBinaries=/nonexistent/postgresql/bin"));

        Assert.Contains("code 69", failure.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql", failure.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/postgresql/bin", failure.Message, StringComparison.Ordinal);
    }

    internal static async Task<List<int>> VersionsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}
