using CallTracking.Engine.Cli;
using CallTracking.Tests.Configuration;

namespace CallTracking.Tests.Cli;

/// <summary>The command line of <c>provision</c> and <c>keys</c>, with the database substituted (the work itself is tested against PostgreSQL in the integration tests).</summary>
public sealed class CliDatabaseCommandsTests : IDisposable
{
    private const string ValidFile = """{ "Sip": { "Listen": [ "udp:127.0.0.1:0" ] } }""";

    private readonly TempConfigFolder _folder = new();
    private int _opened;

    public void Dispose() => _folder.Dispose();

    private (int Code, string Out, string Err) Run(bool withDatabase, params string[] args)
    {
        var app = new CliApp(new CliEnvironment(_folder.Path, _folder.Path, new Dictionary<string, string?>()), (_, _, _) => Task.FromResult(0))
        {
            // Opens nothing: reports the database unavailable, as a server that cannot be reached would.
            Database = withDatabase
                ? async (_, _, _, error, _) =>
                {
                    _opened++;
                    await error.WriteLineAsync("calltracking: database unavailable (test)");
                    return CliExitCodes.StartFailed;
                }
                : null,
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = app.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Help_lists_provision_and_keys()
    {
        var (code, output, _) = Run(true, "--help");
        Assert.Equal(0, code);
        Assert.Contains("provision", output, StringComparison.Ordinal);
        Assert.Contains("keys", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keys", "create")]
    [InlineData("keys", "list")]
    [InlineData("keys", "revoke")]
    [InlineData("provision")]
    public void A_missing_organisation_file_or_prefix_is_a_usage_error_before_the_database_is_opened(params string[] args)
    {
        var (code, _, error) = Run(true, args);
        Assert.Equal(CliExitCodes.Usage, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(0, _opened);
    }

    [Fact]
    public void Configuration_overrides_are_accepted_and_the_database_is_opened()
    {
        var config = _folder.Write("engine.json", ValidFile);
        var (code, _, error) = Run(true, "keys", "list", "--org", "Acme", "--config", config, "--Database:ConnectionString=Host=127.0.0.1");
        Assert.Equal(CliExitCodes.StartFailed, code);
        Assert.Contains("database unavailable", error, StringComparison.Ordinal);
        Assert.Equal(1, _opened);
    }

    [Fact]
    public void Without_a_database_entry_point_the_commands_say_so()
    {
        var (code, _, error) = Run(false, "provision", "file.json", "--config", _folder.Write("engine.json", ValidFile));
        Assert.Equal(CliExitCodes.StartFailed, code);
        Assert.Contains("not available", error, StringComparison.Ordinal);
    }
}
