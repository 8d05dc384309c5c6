using CallTracking.Engine.Cli;
using CallTracking.Engine.Configuration;
using CallTracking.Tests.Configuration;

namespace CallTracking.Tests.Cli;

public sealed class MigrateCommandTests : IDisposable
{
    private readonly TempConfigFolder _folder = new();
    private EngineSettings? _migrated;

    public void Dispose() => _folder.Dispose();

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var app = new CliApp(
            new CliEnvironment(_folder.Path, _folder.Path, new Dictionary<string, string?>()),
            (_, _, _) => throw new InvalidOperationException("migrate must not start the engine"),
            async (settings, output, _, _) =>
            {
                _migrated = settings;
                await output.WriteLineAsync("applied 0001_initial");
                return CliExitCodes.Ok;
            });
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = app.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Migrate_takes_configuration_overrides_and_runs_the_migrations_only()
    {
        var (code, output, error) = Run("migrate", "--Sip:Listen:0=udp:127.0.0.1:0", "--Database:ConnectionString=Host=db.example;Database=ct");

        Assert.True(code == 0, error);
        Assert.Contains("applied 0001_initial", output, StringComparison.Ordinal);
        Assert.Equal("Host=db.example;Database=ct", _migrated!.Database.ConnectionString);
    }

    [Fact]
    public void Migrate_with_an_invalid_connection_string_exits_78_without_migrating()
    {
        var (code, _, error) = Run("migrate", "--Sip:Listen:0=udp:127.0.0.1:0", "--Database:ConnectionString=Hots=x");

        Assert.Equal(CliExitCodes.Config, code);
        Assert.Contains("Database:ConnectionString", error, StringComparison.Ordinal);
        Assert.Null(_migrated);
    }

    [Fact]
    public void Migrate_help_documents_its_exit_codes()
    {
        var (code, output, _) = Run("migrate", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--config", output, StringComparison.Ordinal);
        Assert.Contains("69", output, StringComparison.Ordinal);
    }
}
