using CallTracking.Engine.Storage;
using CallTracking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallTracking.IntegrationTests.Storage;

public sealed class MigrationRunnerTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Engines_starting_together_apply_each_migration_once()
    {
        var database = await server.CreateDatabaseAsync();
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(database)).ToList();
        try
        {
            var results = await Task.WhenAll(sources.Select(s => new MigrationRunner(s, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None)));

            Assert.Equal(MigrationRunner.Embedded.Count, results.Sum(r => r.Count));
            await using var connection = await sources[0].OpenConnectionAsync();
            Assert.Equal(MigrationRunner.Embedded.Select(m => m.Version), await EmbeddedDatabaseTests.VersionsAsync(connection));
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    [Fact]
    public void Embedded_migrations_are_numbered_from_1_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, MigrationRunner.Embedded.Count), MigrationRunner.Embedded.Select(m => m.Version));
        Assert.Equal("initial", MigrationRunner.Embedded[0].Name);
    }
}
