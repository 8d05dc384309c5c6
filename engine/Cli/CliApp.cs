using System.CommandLine;
using System.CommandLine.Invocation;
using CallTracking.Engine.Configuration;
using Npgsql;

namespace CallTracking.Engine.Cli;

/// <summary>
/// The <c>calltracking</c> command line, runnable in-process: <see cref="RunAsync"/>
/// takes the arguments and the two output writers and returns the exit code.
/// Usage errors are one line on the error writer and exit code 2; configuration
/// errors are <c>calltracking: configuration error</c> and a line per fault, exit 78.
/// </summary>
public sealed partial class CliApp
{
    private const string Name = "calltracking";

    private readonly CliEnvironment _environment;
    private readonly EngineEntryPoint _engine;
    private readonly MigrateEntryPoint? _migrate;

    /// <param name="migrate">What <c>migrate</c> runs; without it the command exits 69 saying it is unavailable.</param>
    public CliApp(CliEnvironment environment, EngineEntryPoint engine, MigrateEntryPoint? migrate = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(engine);
        _environment = environment;
        _engine = engine;
        _migrate = migrate;
    }

    /// <summary>What <c>provision</c>, <c>keys</c> and <c>users</c> open the database with; without it they exit 69 saying so.</summary>
    public DatabaseEntryPoint? Database { get; init; }

    /// <summary>Where <c>users add --password-stdin</c> reads the password; null: there is no input (the command says so).</summary>
    public TextReader? Input { get; init; }

    /// <summary>
    /// Asks for a secret on the terminal without echoing it (the prompt is the argument); null when there is no
    /// terminal to ask on, and then <c>users add</c> requires <c>--password-stdin</c>.
    /// </summary>
    public Func<string, string?>? PromptSecret { get; init; }

    public int Run(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, output, error, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        if (!ConfigOverrides.TrySplit(args, out var remaining, out var overrides, out var overrideError))
        {
            return await UsageErrorAsync(error, overrideError!).ConfigureAwait(false);
        }

        var commands = new Commands(this, overrides);
        var parse = commands.Root.Parse(remaining);

        // Help and --version are answered whatever else is on the line.
        if (parse.Action is not CommandLineAction { ClearsParseErrors: true })
        {
            if (parse.UnmatchedTokens.Count > 0)
            {
                var token = parse.UnmatchedTokens[0];
                var what = token.StartsWith('-') ? "option" : "command or argument";
                return await UsageErrorAsync(error, $"unrecognised {what} '{token}'.").ConfigureAwait(false);
            }

            if (parse.Errors.Count > 0)
            {
                return await UsageErrorAsync(error, parse.Errors[0].Message).ConfigureAwait(false);
            }

            if (overrides.Count > 0 && !commands.TakesConfiguration(parse.CommandResult.Command))
            {
                return await UsageErrorAsync(error, $"configuration overrides such as '--{overrides[0].Key}' apply only to 'run', 'migrate', 'config check', 'provision', 'keys' and 'users'.").ConfigureAwait(false);
            }
        }

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,

            // The host handles Ctrl-C and SIGTERM itself (graceful shutdown); two handlers would race.
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RunEngineAsync(ParseResult parse, string? configFile, IReadOnlyList<KeyValuePair<string, string?>> overrides, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        if (!TryLoad(configFile, overrides, error, out var configuration, out var settings))
        {
            return CliExitCodes.Config;
        }

        return await _engine(settings, configuration, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> MigrateAsync(ParseResult parse, string? configFile, IReadOnlyList<KeyValuePair<string, string?>> overrides, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        if (!TryLoad(configFile, overrides, error, out _, out var settings))
        {
            return CliExitCodes.Config;
        }

        if (_migrate is null)
        {
            await error.WriteLineAsync($"{Name}: migrate is not available here.").ConfigureAwait(false);
            return CliExitCodes.StartFailed;
        }

        return await _migrate(settings, parse.InvocationConfiguration.Output, error, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> WithDatabaseAsync(
        ParseResult parse,
        string? configFile,
        IReadOnlyList<KeyValuePair<string, string?>> overrides,
        Func<NpgsqlDataSource, EngineSettings, TextWriter, TextWriter, Task<int>> work,
        CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (!TryLoad(configFile, overrides, error, out var configuration, out var settings))
        {
            return CliExitCodes.Config;
        }

        if (Database is null)
        {
            await error.WriteLineAsync($"{Name}: the database is not available here.").ConfigureAwait(false);
            return CliExitCodes.StartFailed;
        }

        return await Database(settings, configuration, dataSource => work(dataSource, settings, output, error), error, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A new password from stdin (first line, exactly as typed) or prompted twice; null after saying why not.</summary>
    private async Task<string?> ReadNewPasswordAsync(bool fromStdin, TextWriter error)
    {
        string? password;
        if (fromStdin)
        {
            if (Input is null)
            {
                await error.WriteLineAsync($"{Name}: there is no stdin to read the password from.").ConfigureAwait(false);
                return null;
            }

            password = await Input.ReadLineAsync().ConfigureAwait(false);
        }
        else
        {
            if (PromptSecret is null)
            {
                await error.WriteLineAsync($"{Name}: no terminal to prompt for the password on; pipe it in with --password-stdin.").ConfigureAwait(false);
                return null;
            }

            password = PromptSecret("Password: ");
            if (password is not null && PromptSecret("Repeat password: ") != password)
            {
                await error.WriteLineAsync($"{Name}: the passwords do not match; nothing was changed.").ConfigureAwait(false);
                return null;
            }
        }

        if (password is null || password.Length < Dashboard.PasswordHash.MinimumLength)
        {
            await error.WriteLineAsync($"{Name}: the password must have at least {Dashboard.PasswordHash.MinimumLength} characters; nothing was changed.").ConfigureAwait(false);
            return null;
        }

        return password;
    }

    private int CheckConfiguration(ParseResult parse, string? configFile, IReadOnlyList<KeyValuePair<string, string?>> overrides)
    {
        var output = parse.InvocationConfiguration.Output;
        if (!TryLoad(configFile, overrides, parse.InvocationConfiguration.Error, out _, out var settings))
        {
            return CliExitCodes.Config;
        }

        output.WriteLine("configuration OK");
        output.WriteLine($"  SIP listen:   {string.Join(", ", settings.Sip.Listen)}");
        output.WriteLine($"  public:       {settings.Sip.PublicAddress ?? "(listen address)"}");
        output.WriteLine($"  media:        {settings.Media.Address ?? "(local address)"} ports {settings.Media.PortRange}");
        output.WriteLine($"  trunks:       {settings.Trunks.Count} ({string.Join(", ", settings.Trunks.Select(t => t.Name))})");
        output.WriteLine($"  numbers:      {settings.Numbers.Count}");
        output.WriteLine($"  data:         {settings.DataPath}");
        return CliExitCodes.Ok;
    }

    private bool TryLoad(
        string? configFile,
        IReadOnlyList<KeyValuePair<string, string?>> overrides,
        TextWriter error,
        out IConfiguration configuration,
        out EngineSettings settings)
    {
        configuration = null!;
        settings = null!;
        var loader = new ConfigurationLoader(_environment.BaseDirectory, _environment.WorkingDirectory, _environment.Variables);
        var loaded = loader.Load(configFile, overrides);
        if (!loaded.IsLoaded)
        {
            WriteFaults(error, loaded.Faults);
            return false;
        }

        var validated = new EngineSettingsValidator(_environment.WorkingDirectory).Validate(loaded.Configuration!);
        if (!validated.IsValid)
        {
            WriteFaults(error, validated.Faults);
            return false;
        }

        configuration = loaded.Configuration!;
        settings = validated.Settings!;
        return true;
    }

    private static void WriteFaults(TextWriter error, IReadOnlyList<ConfigurationFault> faults)
    {
        error.WriteLine($"{Name}: configuration error");
        foreach (var fault in faults)
        {
            error.WriteLine($"  {fault}");
        }
    }

    private static async Task<int> UsageErrorAsync(TextWriter error, string message)
    {
        message = message.ReplaceLineEndings(" ").Trim();
        if (!message.EndsWith('.'))
        {
            message += ".";
        }

        await error.WriteLineAsync($"{Name}: {message} Try '{Name} --help'.").ConfigureAwait(false);
        return CliExitCodes.Usage;
    }

    /// <summary>The command tree for one invocation; its actions close over that invocation's overrides.</summary>
    private sealed class Commands
    {
        private readonly Command _run;
        private readonly Command _check;
        private readonly Command _provision;
        private readonly Command _keys;
        private readonly Command _users;
        private readonly Command _rules;
        private readonly Command _migrate;
        private readonly IReadOnlyList<Command> _privacy;
        private readonly Command _audit;

        public Commands(CliApp app, IReadOnlyList<KeyValuePair<string, string?>> overrides)
        {
            var runConfig = ConfigOption();
            _run = new Command("run", """
                Start the engine and run until Ctrl-C or SIGTERM.
                Configuration, lowest precedence first: appsettings.json beside the executable,
                --config FILE, environment variables CALLTRACKING_Section__Key, and
                --Section:Key=value (or --Section:Key value) on this command line.
                Exit codes: 0 after a clean shutdown, 2 for a bad command line,
                78 (EX_CONFIG) when the configuration is invalid (each fault is printed to stderr),
                69 (EX_UNAVAILABLE) when a SIP endpoint cannot be bound (port in use, address not here)
                or the database cannot be started or reached.
                """);
            var role = new Option<string>("--role")
            {
                Description = "all (default): the whole engine; worker: only the transcription workers (database and recordings path, no SIP/HTTP/gRPC listeners; needs Transcription:Model).",
                HelpName = "ROLE",
                DefaultValueFactory = _ => "all",
            };
            role.AcceptOnlyFromAmong("all", "worker");
            _run.Options.Add(runConfig);
            _run.Options.Add(role);
            _run.SetAction((parse, ct) => app.RunEngineAsync(parse, parse.GetValue(runConfig), [.. overrides, new("Role", parse.GetValue(role))], ct));

            var checkConfig = ConfigOption();
            _check = new Command("check", """
                Validate the configuration without starting the engine. Prints "configuration OK"
                and a summary, or every fault (exit code 78, EX_CONFIG). Accepts the same
                --config FILE and --Section:Key=value overrides as 'run'.
                """);
            _check.Options.Add(checkConfig);
            _check.SetAction(parse => app.CheckConfiguration(parse, parse.GetValue(checkConfig), overrides));

            var migrateConfig = ConfigOption();
            _migrate = new Command("migrate", """
                Apply the database migrations and exit, without starting the engine (the engine also
                applies them at start-up). Uses Database:ConnectionString, or the embedded cluster under
                Data:Path/pg when it is empty (started for the migration and stopped after it).
                Prints each migration applied. Exit codes: 0 when the database is up to date, 78 for an
                invalid configuration, 69 when the database cannot be started or reached.
                """);
            _migrate.Options.Add(migrateConfig);
            _migrate.SetAction((parse, ct) => app.MigrateAsync(parse, parse.GetValue(migrateConfig), overrides, ct));

            var config = new Command("config", "Work with the configuration.");
            config.Subcommands.Add(_check);

            _provision = ProvisionCommand(app, overrides);
            _keys = KeysCommands(app, overrides);
            _users = UsersCommands(app, overrides);
            _rules = RuleCommands.Create(ConfigOption, OrganisationOption, (parse, configFile, work, ct) =>
                app.WithDatabaseAsync(parse, configFile, overrides, (dataSource, _, output, error) => work(dataSource, output, error), ct));

            Root = new RootCommand("CallTracking: a self-hosted SIP call-tracking engine.");
            Root.Subcommands.Add(_run);
            Root.Subcommands.Add(config);
            Root.Subcommands.Add(_migrate);
            Root.Subcommands.Add(_provision);
            Root.Subcommands.Add(_keys);
            Root.Subcommands.Add(_rules);
            Root.Subcommands.Add(ModelCommands.Create(app._environment));
            Root.Subcommands.Add(_users);

            // Deletion, data-subject requests, organisation exit, retention; and the master key's rotation under keys.
            PrivacyCommands.WithPrivacy withPrivacy = (parse, configFile, work, ct) => app.WithPrivacyAsync(parse, configFile, overrides, work, ct);
            _privacy = PrivacyCommands.Create(ConfigOption, withPrivacy);
            foreach (var command in _privacy)
            {
                Root.Subcommands.Add(command);
            }

            _keys.Subcommands.Add(PrivacyCommands.RotateMaster(ConfigOption, withPrivacy));

            _audit = AuditCommands.Create(ConfigOption, (parse, configFile, work, ct) =>
                app.WithDatabaseAsync(parse, configFile, overrides, (dataSource, _, output, error) => work(dataSource, output, error), ct));
            Root.Subcommands.Add(_audit);
        }

        public RootCommand Root { get; }

        public bool TakesConfiguration(Command command) =>
            command == _run || command == _check || command == _migrate || command == _provision || command.Parents.Contains(_keys) || command.Parents.Contains(_users) || command.Parents.Contains(_rules) || command.Parents.Contains(_audit) || _privacy.Any(p => command.Parents.Contains(p) || command.Parents.Any(c => c is Command parent && parent.Parents.Contains(p)));

        private static Command ProvisionCommand(CliApp app, IReadOnlyList<KeyValuePair<string, string?>> overrides)
        {
            var file = new Argument<string>("FILE") { Description = "The provisioning file (JSON): Organisations (with Plans, Campaigns, Numbers) and Trunks." };
            var configOption = ConfigOption();
            var command = new Command("provision", """
                Apply a provisioning file to the database and exit: creates or updates organisations,
                trunks, routing plans, campaigns and tracking numbers; never deletes. Idempotent: a second
                run of the same file changes nothing and says so. Prints one line per object (created,
                updated with the fields that changed, or unchanged) and a summary. All in one transaction:
                a bad file changes nothing and exits 78 (EX_CONFIG) with every error and its JSON path.
                """);
            command.Arguments.Add(file);
            command.Options.Add(configOption);
            command.SetAction((parse, ct) =>
            {
                var path = Path.GetFullPath(parse.GetValue(file)!, app._environment.WorkingDirectory);
                return app.WithDatabaseAsync(parse, parse.GetValue(configOption), overrides,
                    (dataSource, settings, output, error) => AdminCommands.ProvisionAsync(dataSource, path, settings.Trunks, output, error, ct), ct);
            });
            return command;
        }

        private static Command KeysCommands(CliApp app, IReadOnlyList<KeyValuePair<string, string?>> overrides)
        {
            var keys = new Command("keys", "Manage API keys (Authorization: Bearer KEY on the REST API). Unknown organisation or key: exit 78.");

            var createOrg = OrganisationOption();
            var createName = new Option<string>("--name") { Description = "A label for the key (who or what uses it).", HelpName = "LABEL" };
            var createConfig = ConfigOption();
            var create = new Command("create", "Create a key for an organisation and print it once, alone on stdout; only its prefix and a hash are stored.");
            create.Options.Add(createOrg);
            create.Options.Add(createName);
            create.Options.Add(createConfig);
            var createRole = RoleOption();
            var createAgent = AgentDestinationOption();
            create.Options.Add(createRole);
            create.Options.Add(createAgent);
            create.SetAction((parse, ct) => app.WithDatabaseAsync(parse, parse.GetValue(createConfig), overrides,
                (dataSource, _, output, error) => AdminCommands.CreateKeyAsync(dataSource, parse.GetValue(createOrg)!, parse.GetValue(createName), parse.GetValue(createRole), parse.GetValue(createAgent), output, error, ct), ct));

            var listOrg = OrganisationOption();
            var listConfig = ConfigOption();
            var list = new Command("list", "List an organisation's keys: prefix, state, created, last used, label. Never prints secrets.");
            list.Options.Add(listOrg);
            list.Options.Add(listConfig);
            list.SetAction((parse, ct) => app.WithDatabaseAsync(parse, parse.GetValue(listConfig), overrides,
                (dataSource, _, output, error) => AdminCommands.ListKeysAsync(dataSource, parse.GetValue(listOrg)!, output, error, ct), ct));

            var prefix = new Argument<string>("PREFIX") { Description = "The key's 8-character prefix (as 'keys list' shows it), or the whole key." };
            var revokeConfig = ConfigOption();
            var revoke = new Command("revoke", "Revoke a key: requests with it are refused (401) from now on.");
            revoke.Arguments.Add(prefix);
            revoke.Options.Add(revokeConfig);
            revoke.SetAction((parse, ct) => app.WithDatabaseAsync(parse, parse.GetValue(revokeConfig), overrides,
                (dataSource, _, output, error) => AdminCommands.RevokeKeyAsync(dataSource, parse.GetValue(prefix)!, output, error, ct), ct));

            keys.Subcommands.Add(create);
            keys.Subcommands.Add(list);
            keys.Subcommands.Add(revoke);
            return keys;
        }

        private static Command UsersCommands(CliApp app, IReadOnlyList<KeyValuePair<string, string?>> overrides)
        {
            var users = new Command("users", "Manage dashboard users (sign-in by user name and password). Unknown organisation or user: exit 78.");

            var addOrg = new Argument<string>("ORG") { Description = "The organisation's name; the user sees what its API keys see." };
            var addName = new Argument<string>("USERNAME") { Description = "The user name to sign in with (unique, compared case-insensitively)." };
            var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of stdin instead of prompting." };
            var addConfig = ConfigOption();
            var add = new Command("add", $"""
                Add a dashboard user. The password (at least {Dashboard.PasswordHash.MinimumLength} characters) is prompted for twice
                without echo, or read from stdin with --password-stdin; it is stored as PBKDF2-HMAC-SHA256
                with a per-user salt, never as text.
                """);
            add.Arguments.Add(addOrg);
            add.Arguments.Add(addName);
            add.Options.Add(passwordStdin);
            add.Options.Add(addConfig);
            var addRole = RoleOption();
            var addAgent = AgentDestinationOption();
            add.Options.Add(addRole);
            add.Options.Add(addAgent);
            add.SetAction(async (parse, ct) =>
            {
                var error = parse.InvocationConfiguration.Error;
                var password = await app.ReadNewPasswordAsync(parse.GetValue(passwordStdin), error).ConfigureAwait(false);
                if (password is null)
                {
                    return CliExitCodes.Config;
                }

                // Hashed before the database is opened: the slow part does not hold a connection.
                var hash = Dashboard.PasswordHash.Create(password);
                return await app.WithDatabaseAsync(parse, parse.GetValue(addConfig), overrides,
                    (dataSource, _, output, err) => AdminCommands.AddUserAsync(dataSource, parse.GetValue(addOrg)!, parse.GetValue(addName)!.Trim(), hash, parse.GetValue(addRole), parse.GetValue(addAgent), output, err, ct), ct).ConfigureAwait(false);
            });

            var listOrg = new Option<string>("--org") { Description = "Only this organisation's users.", HelpName = "NAME" };
            var listConfig = ConfigOption();
            var list = new Command("list", "List dashboard users: user name, organisation, state, created, last sign-in. Never prints hashes.");
            list.Options.Add(listOrg);
            list.Options.Add(listConfig);
            list.SetAction((parse, ct) => app.WithDatabaseAsync(parse, parse.GetValue(listConfig), overrides,
                (dataSource, _, output, error) => AdminCommands.ListUsersAsync(dataSource, parse.GetValue(listOrg), output, error, ct), ct));

            var removeName = new Argument<string>("USERNAME") { Description = "The user to remove." };
            var removeConfig = ConfigOption();
            var remove = new Command("remove", "Remove a dashboard user; their sessions end at once.");
            remove.Arguments.Add(removeName);
            remove.Options.Add(removeConfig);
            remove.SetAction((parse, ct) => app.WithDatabaseAsync(parse, parse.GetValue(removeConfig), overrides,
                (dataSource, _, output, error) => AdminCommands.RemoveUserAsync(dataSource, parse.GetValue(removeName)!, output, error, ct), ct));

            users.Subcommands.Add(add);
            users.Subcommands.Add(list);
            users.Subcommands.Add(remove);
            return users;
        }

        private static Option<string> RoleOption() => new("--role")
        {
            Description = "agency_admin, org_admin, manager, analyst or agent (default: the organisation's admin; agency_admin when it has client organisations).",
            HelpName = "ROLE",
        };

        private static Option<string> AgentDestinationOption() => new("--agent-destination")
        {
            Description = "For an agent: the destination (as in a plan's Forward To, e.g. sip:desk@10.0.0.5) whose answered calls are theirs.",
            HelpName = "URI",
        };

        private static Option<string> OrganisationOption() => new("--org")
        {
            Description = "The organisation's name.",
            HelpName = "NAME",
            Required = true,
        };

        private static Option<string> ConfigOption() => new("--config")
        {
            Description = "A JSON configuration file layered over appsettings.json.",
            HelpName = "FILE",
        };
    }
}
