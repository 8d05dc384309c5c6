using CallTracking.Engine.Configuration;
using Microsoft.Extensions.Configuration;

namespace CallTracking.Tests.Configuration;

public sealed class DatabaseSettingsTests
{
    private static SettingsValidationResult Validate(params (string Key, string? Value)[] values)
    {
        var all = new Dictionary<string, string?> { ["Sip:Listen:0"] = "udp:0.0.0.0:5060" };
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }

        return new EngineSettingsValidator("/srv/ct").Validate(new ConfigurationBuilder().AddInMemoryCollection(all).Build());
    }

    [Fact]
    public void No_connection_string_means_the_embedded_cluster()
    {
        var result = Validate();

        Assert.True(result.IsValid, string.Join("\n", result.Faults));
        Assert.True(result.Settings!.Database.IsEmbedded);
        Assert.Null(result.Settings.Database.ServerBinaries);
    }

    [Fact]
    public void Connection_string_and_relative_server_binaries_are_taken()
    {
        var result = Validate(("Database:ConnectionString", " Host=db.example;Database=ct;Username=ct;Password=x "), ("Database:ServerBinaries", "pg/bin"));

        Assert.True(result.IsValid, string.Join("\n", result.Faults));
        Assert.Equal("Host=db.example;Database=ct;Username=ct;Password=x", result.Settings!.Database.ConnectionString);
        Assert.Equal("/srv/ct/pg/bin", result.Settings.Database.ServerBinaries);
    }

    [Theory]
    [InlineData("Hots=db.example;Database=ct")]
    [InlineData("Host=db.example;Port=notaport")]
    [InlineData("Database=ct;Username=ct")]
    public void Bad_connection_string_is_a_fault_naming_the_key(string connectionString)
    {
        var result = Validate(("Database:ConnectionString", connectionString));

        var fault = Assert.Single(result.Faults);
        Assert.Equal("Database:ConnectionString", fault.Key);
    }

    [Fact]
    public void Unknown_database_key_is_a_fault()
    {
        var result = Validate(("Database:ConectionString", "Host=x"));

        Assert.Equal("Database:ConectionString", Assert.Single(result.Faults).Key);
    }
}
