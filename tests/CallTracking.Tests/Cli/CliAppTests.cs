using CallTracking.Engine.Cli;
using CallTracking.Engine.Configuration;
using CallTracking.Tests.Configuration;
using Microsoft.Extensions.Configuration;

namespace CallTracking.Tests.Cli;

public sealed class CliAppTests : IDisposable
{
    private const string ValidFile = """
        {
          "Sip": { "Listen": [ "udp:127.0.0.1:0" ] },
          "Trunks": [ { "Name": "twilio", "Allow": [ "54.172.60.0/30" ] } ],
          "Numbers": [ { "Number": "+15551230001", "Name": "Google Ads" } ]
        }
        """;

    private readonly TempConfigFolder _folder = new();
    private readonly Dictionary<string, string?> _environment = [];
    private EngineSettings? _started;
    private IConfiguration? _startedConfiguration;

    public void Dispose() => _folder.Dispose();

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var app = new CliApp(
            new CliEnvironment(_folder.Path, _folder.Path, _environment),
            (settings, configuration, _) =>
            {
                _started = settings;
                _startedConfiguration = configuration;
                return Task.FromResult(0);
            });
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = app.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("run", output, StringComparison.Ordinal);
        Assert.Contains("config", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_help_documents_exit_code_78()
    {
        var (code, output, _) = Run("run", "--help");
        Assert.Equal(0, code);
        Assert.Contains("78 (EX_CONFIG)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--frob")]
    [InlineData("run", "--frob")]
    [InlineData("config", "check", "--frob=1")]
    public void Unknown_option_is_one_line_and_exit_code_2(params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal($"calltracking: unrecognised option '{args[^1]}'. Try 'calltracking --help'.{Environment.NewLine}", error);
    }

    [Theory]
    [InlineData("frob")]
    [InlineData("run", "--config")]
    [InlineData("config")]
    [InlineData("--Sip:UserAgent=x")]
    [InlineData("run", "--Sip:UserAgent")]
    public void Usage_errors_are_one_line_and_exit_code_2(params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Single(error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("calltracking: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_with_a_missing_config_file_names_it_and_exits_78()
    {
        var (code, _, error) = Run("run", "--config", "missing.json");
        Assert.Equal(78, code);
        Assert.StartsWith("calltracking: configuration error", error, StringComparison.Ordinal);
        Assert.Contains("missing.json", error, StringComparison.Ordinal);
        Assert.Null(_started);
    }

    [Fact]
    public void Config_check_on_a_valid_file_says_ok()
    {
        _folder.Write("site.json", ValidFile);
        var (code, output, error) = Run("config", "check", "--config", "site.json");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.StartsWith("configuration OK", output, StringComparison.Ordinal);
        Assert.Contains("udp:127.0.0.1:0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_check_on_an_invalid_file_lists_every_fault_and_exits_78()
    {
        _folder.Write("bad.json", """
            {
              "Sip": { "Listen": [ "udp:0.0.0.0:5060", "tcp:0.0.0.0:99999" ] },
              "Trunks": [ { "Name": "twilio", "Allow": [ "54.172.60.0/33" ] } ],
              "Numbers": [ { "Number": "5551230001" } ]
            }
            """);
        var (code, _, error) = Run("config", "check", "--config", "bad.json");
        Assert.Equal(78, code);
        var lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("calltracking: configuration error", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.Contains("Sip:Listen:1: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Trunks:0:Allow:0: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Numbers:0:Number: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Environment_overrides_the_file_and_the_command_line_overrides_the_environment()
    {
        _folder.Write("site.json", ValidFile);
        _environment["CALLTRACKING_Sip__Listen__0"] = "tcp:127.0.0.1:5070";
        _environment["CALLTRACKING_Sip__UserAgent"] = "from-environment";
        _environment["CALLTRACKING_Media__PortRange"] = "30000-30099";

        var (code, _, error) = Run("run", "--config", "site.json", "--Sip:UserAgent=from-command-line", "--Media:PortRange", "40000-40099");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.NotNull(_started);
        Assert.Equal("tcp:127.0.0.1:5070", _started.Sip.Listen[0].ToString());
        Assert.Equal("from-command-line", _started.Sip.UserAgent);
        Assert.Equal(40000, _started.Media.PortRange.Start);
        Assert.Equal("twilio", _started.Trunks[0].Name);
        Assert.Equal("from-command-line", _startedConfiguration!["Sip:UserAgent"]);
    }

    [Fact]
    public void Invalid_override_on_the_command_line_is_a_configuration_fault()
    {
        _folder.Write("site.json", ValidFile);
        var (code, _, error) = Run("config", "check", "--config", "site.json", "--Sip:Timers:T1Ms=fast");
        Assert.Equal(78, code);
        Assert.Contains("Sip:Timers:T1Ms: \"fast\" is not a whole number", error, StringComparison.Ordinal);
    }
}
