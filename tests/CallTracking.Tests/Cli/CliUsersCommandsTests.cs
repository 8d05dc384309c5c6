using CallTracking.Engine.Cli;
using CallTracking.Tests.Configuration;

namespace CallTracking.Tests.Cli;

/// <summary>
/// <c>users add|list|remove</c> on the command line: how the password is read (stdin or a prompt without echo)
/// and refused before the database is opened. The stores themselves are tested against PostgreSQL
/// (IntegrationTests Dashboard/DashboardHttpTests).
/// </summary>
public sealed class CliUsersCommandsTests : IDisposable
{
    private const string ValidFile = """{ "Sip": { "Listen": [ "udp:127.0.0.1:0" ] } }""";

    private readonly TempConfigFolder _folder = new();
    private int _opened;

    public void Dispose() => _folder.Dispose();

    private (int Code, string Out, string Err) Run(string? stdin, Func<string, string?>? prompt, params string[] args)
    {
        using var input = stdin is null ? null : new StringReader(stdin);
        var app = new CliApp(new CliEnvironment(_folder.Path, _folder.Path, new Dictionary<string, string?>()), (_, _, _) => Task.FromResult(0))
        {
            Database = async (_, _, _, error, _) =>
            {
                _opened++;
                await error.WriteLineAsync("calltracking: database unavailable (test)");
                return CliExitCodes.StartFailed;
            },
            Input = input,
            PromptSecret = prompt,
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        // Every command gets a valid configuration, so the only refusals are the ones under test.
        var config = _folder.Write("engine.json", ValidFile);
        string[] all = args.Contains("--help") ? args : [.. args, "--config", config];
        var code = app.Run(all, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Help_lists_users_add_list_and_remove()
    {
        var (code, output, _) = Run(null, null, "users", "--help");
        Assert.Equal(0, code);
        Assert.Contains("add", output, StringComparison.Ordinal);
        Assert.Contains("list", output, StringComparison.Ordinal);
        Assert.Contains("remove", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_with_password_stdin_reads_the_first_line_and_then_opens_the_database()
    {
        var (code, _, error) = Run("a long enough password\nsecond line\n", null, "users", "add", "Acme", "alice", "--password-stdin");
        Assert.Equal(CliExitCodes.StartFailed, code);
        Assert.Equal(1, _opened);
        Assert.Contains("database unavailable (test)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_refuses_a_short_or_missing_password_without_opening_the_database()
    {
        var (code, _, error) = Run("short\n", null, "users", "add", "Acme", "alice", "--password-stdin");
        Assert.Equal(CliExitCodes.Config, code);
        Assert.Contains("at least 10 characters", error, StringComparison.Ordinal);

        (code, _, _) = Run("", null, "users", "add", "Acme", "alice", "--password-stdin");
        Assert.Equal(CliExitCodes.Config, code);
        Assert.Equal(0, _opened);
    }

    [Fact]
    public void Add_prompts_twice_without_echo_and_refuses_a_mismatch()
    {
        var prompts = new List<string>();
        var answers = new Queue<string>(["a long enough password", "a long enough passwort"]);
        var (code, _, error) = Run(null, prompt => { prompts.Add(prompt); return answers.Dequeue(); }, "users", "add", "Acme", "alice");
        Assert.Equal(CliExitCodes.Config, code);
        Assert.Equal(["Password: ", "Repeat password: "], prompts);
        Assert.Contains("do not match", error, StringComparison.Ordinal);
        Assert.Equal(0, _opened);

        (code, _, _) = Run(null, _ => "a long enough password", "users", "add", "Acme", "alice");
        Assert.Equal(CliExitCodes.StartFailed, code);
        Assert.Equal(1, _opened);
    }

    [Fact]
    public void Add_without_a_terminal_asks_for_password_stdin()
    {
        var (code, _, error) = Run(null, null, "users", "add", "Acme", "alice");
        Assert.Equal(CliExitCodes.Config, code);
        Assert.Contains("--password-stdin", error, StringComparison.Ordinal);
        Assert.Equal(0, _opened);
    }

    [Fact]
    public void List_and_remove_open_the_database_and_take_configuration_overrides()
    {
        Assert.Equal(CliExitCodes.StartFailed, Run(null, null, "users", "list", "--org", "Acme", "--Data:Path=/tmp/x").Code);
        Assert.Equal(CliExitCodes.StartFailed, Run(null, null, "users", "remove", "alice").Code);
        Assert.Equal(2, _opened);
        Assert.Equal(CliExitCodes.Usage, Run(null, null, "users", "remove").Code);
    }
}
