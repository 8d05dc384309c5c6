using CallTracking.Engine.Configuration;

namespace CallTracking.Tests.Configuration;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private readonly TempConfigFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Layers_override_in_order_defaults_file_environment_command_line()
    {
        _folder.Write("appsettings.json", """{ "Sip": { "UserAgent": "defaults", "MinSESeconds": 100, "SessionExpiresSeconds": 900, "Timers": { "T1Ms": 400 } } }""");
        var file = _folder.Write("site.json", """{ "Sip": { "UserAgent": "file", "MinSESeconds": 120, "SessionExpiresSeconds": 1000 } }""");
        var environment = new Dictionary<string, string?>
        {
            ["CALLTRACKING_Sip__UserAgent"] = "environment",
            ["CALLTRACKING_Sip__MinSESeconds"] = "150",
            ["OTHER_Sip__MinSESeconds"] = "1",
        };
        var loader = new ConfigurationLoader(_folder.Path, _folder.Path, environment);

        var result = loader.Load("site.json", [new("Sip:UserAgent", "command line")]);

        Assert.True(result.IsLoaded, string.Join("\n", result.Faults));
        var configuration = result.Configuration!;
        Assert.Equal("command line", configuration["Sip:UserAgent"]);
        Assert.Equal("150", configuration["Sip:MinSESeconds"]);
        Assert.Equal("1000", configuration["Sip:SessionExpiresSeconds"]);
        Assert.Equal("400", configuration["Sip:Timers:T1Ms"]);
        Assert.NotNull(file);
    }

    [Fact]
    public void Missing_config_file_is_named()
    {
        var loader = new ConfigurationLoader(_folder.Path, _folder.Path, new Dictionary<string, string?>());
        var result = loader.Load("missing.json", []);
        var fault = Assert.Single(result.Faults);
        Assert.Equal("--config", fault.Key);
        Assert.Contains("\"missing.json\" not found", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_is_named_with_the_parser_message()
    {
        _folder.Write("bad.json", "{ \"Sip\": { \"UserAgent\": } }");
        var loader = new ConfigurationLoader(_folder.Path, _folder.Path, new Dictionary<string, string?>());
        var result = loader.Load("bad.json", []);
        var fault = Assert.Single(result.Faults);
        Assert.StartsWith("\"bad.json\" is not valid JSON: ", fault.Message, StringComparison.Ordinal);
        Assert.Contains("LineNumber", fault.Message, StringComparison.Ordinal);
    }
}
