using CallTracking.Engine.Storage;
using CallTracking.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary><c>calltracking rules add | list | remove</c> as an operator runs them, against PostgreSQL.</summary>
public sealed class RuleCommandsTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Rules_are_added_replaced_listed_and_removed_and_mistakes_exit_78_or_2_saying_why()
    {
        var directory = TestDirectory.Create();
        var database = await server.CreateDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(database))
        {
            await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
            await using var insert = dataSource.CreateCommand("INSERT INTO organisations (name) VALUES ('Acme Plumbing')");
            await insert.ExecuteNonQueryAsync();
        }

        var added = await EngineCli.RunAsync(directory, database, "rules", "add", "--org", "Acme Plumbing", "--name", "appointment", "--phrase", "booked an appointment", "--speaker", "business", "--tag", "appointment", "--score", "20");
        Assert.True(added.Code == 0, added.Err);
        Assert.Equal("added rule appointment for Acme Plumbing", added.Out.Trim());
        var regex = await EngineCli.RunAsync(directory, database, "rules", "add", "--org", "Acme Plumbing", "--name", "price", "--regex", @"\$\d+", "--value", "99.5");
        Assert.True(regex.Code == 0, regex.Err);
        var replaced = await EngineCli.RunAsync(directory, database, "rules", "add", "--org", "Acme Plumbing", "--name", "appointment", "--phrase", "booked you in", "--speaker", "business", "--tag", "appointment", "--score", "25", "--disabled");
        Assert.Equal("replaced rule appointment for Acme Plumbing", replaced.Out.Trim());

        var list = await EngineCli.RunAsync(directory, database, "rules", "list", "--org", "Acme Plumbing");
        Assert.Equal(0, list.Code);
        var lines = list.Out.Trim().Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^appointment\s+off\s+business\s+appointment\s+25\s+-\s+phrase ""booked you in""$", lines[1]);
        Assert.Matches(@"^price\s+on\s+either\s+-\s+0\s+99\.5\s+regex \\\$\\d\+$", lines[2]);

        var badRegex = await EngineCli.RunAsync(directory, database, "rules", "add", "--org", "Acme Plumbing", "--name", "bad", "--regex", "(unclosed");
        Assert.Equal(78, badRegex.Code);
        Assert.Contains("rule 'bad'", badRegex.Err, StringComparison.Ordinal);
        var both = await EngineCli.RunAsync(directory, database, "rules", "add", "--org", "Acme Plumbing", "--name", "x", "--phrase", "a", "--regex", "b");
        Assert.Equal(2, both.Code);
        Assert.Contains("exactly one of --phrase or --regex", both.Err, StringComparison.Ordinal);
        var badSpeaker = await EngineCli.RunAsync(directory, database, "rules", "add", "--org", "Acme Plumbing", "--name", "x", "--phrase", "a", "--speaker", "agent");
        Assert.Equal(2, badSpeaker.Code);
        var unknownOrg = await EngineCli.RunAsync(directory, database, "rules", "add", "--org", "Nobody", "--name", "x", "--phrase", "a");
        Assert.Equal(78, unknownOrg.Code);
        Assert.Contains("no organisation named 'Nobody'", unknownOrg.Err, StringComparison.Ordinal);

        var removed = await EngineCli.RunAsync(directory, database, "rules", "remove", "price", "--org", "Acme Plumbing");
        Assert.Equal("removed rule price of Acme Plumbing", removed.Out.Trim());
        var again = await EngineCli.RunAsync(directory, database, "rules", "remove", "price", "--org", "Acme Plumbing");
        Assert.Equal(78, again.Code);
        Assert.Equal(2, (await EngineCli.RunAsync(directory, database, "rules", "list", "--org", "Acme Plumbing")).Out.Trim().Split('\n').Length);
    }
}
