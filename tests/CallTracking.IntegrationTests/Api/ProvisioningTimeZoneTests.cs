using CallTracking.IntegrationTests.Infrastructure;
using Npgsql;

namespace CallTracking.IntegrationTests.Api;

/// <summary>An organisation's time zone is kept unless a file says otherwise (the engine's own configuration is
/// applied at every start, and must not reset a zone set through a provisioning file or the API to UTC).</summary>
public sealed class ProvisioningTimeZoneTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_file_without_a_time_zone_keeps_the_one_the_organisation_has_and_new_ones_get_utc()
    {
        var directory = TestDirectory.Create();
        var database = await server.CreateDatabaseAsync();
        var file = directory.File("provision.json");
        await File.WriteAllTextAsync(file, """{ "Organisations": [ { "Name": "Acme", "TimeZone": "America/New_York" } ] }""");
        var first = await EngineCli.RunAsync(directory, database, "provision", file);
        Assert.True(first.Code == 0, first.Err);

        await File.WriteAllTextAsync(file, """{ "Organisations": [ { "Name": "Acme" }, { "Name": "Newco" } ] }""");
        var second = await EngineCli.RunAsync(directory, database, "provision", file);
        Assert.True(second.Code == 0, second.Err);
        Assert.Contains("unchanged organisation Acme", second.Out, StringComparison.Ordinal);

        Assert.Equal("America/New_York", await TimeZoneAsync(database, "Acme"));
        Assert.Equal("UTC", await TimeZoneAsync(database, "Newco"));

        await File.WriteAllTextAsync(file, """{ "Organisations": [ { "Name": "Acme", "TimeZone": "Europe/London" } ] }""");
        var third = await EngineCli.RunAsync(directory, database, "provision", file);
        Assert.True(third.Code == 0, third.Err);
        Assert.Equal("Europe/London", await TimeZoneAsync(database, "Acme"));
    }

    private static async Task<string?> TimeZoneAsync(string connectionString, string organisation)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select time_zone from organisations where name = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = organisation });
        return (string?)await command.ExecuteScalarAsync();
    }
}
