using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL for one test class (an xunit class fixture): a throwaway cluster (initdb + pg_ctl, as the
/// <c>postgres</c> user when the tests run as root) on a free 127.0.0.1 port in a temp folder, or — when
/// <see cref="ExternalVariable"/> holds a connection string — that server instead. Either way the class gets
/// a fresh database (<c>t_&lt;guid&gt;</c>) in <see cref="ConnectionString"/>, and <see cref="CreateDatabaseAsync"/>
/// makes more. At the end the databases are dropped and the throwaway cluster is stopped by its own pid.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>An Npgsql connection string to an existing server (a superuser, or a role that may CREATE DATABASE).</summary>
    public const string ExternalVariable = "CALLTRACKING_TEST_PG";

    private const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly List<string> _databases = [];
    private string? _directory;
    private int _postmasterPid;

    /// <summary>The server, connected to its maintenance database <c>postgres</c>.</summary>
    public string ServerConnectionString { get; private set; } = string.Empty;

    /// <summary>This class's fresh database.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public bool IsExternal { get; private set; }

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            IsExternal = true;
            ServerConnectionString = new NpgsqlConnectionStringBuilder(external) { Database = "postgres", Pooling = false }.ConnectionString;
        }
        else
        {
            await StartClusterAsync().ConfigureAwait(false);
        }

        ConnectionString = await CreateDatabaseAsync().ConfigureAwait(false);
    }

    /// <summary>A new empty database on this server; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(ServerConnectionString, $"CREATE DATABASE {name}").ConfigureAwait(false);
        lock (_databases)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (IsExternal)
        {
            foreach (var name in _databases)
            {
                await ExecuteAsync(ServerConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)").ConfigureAwait(false);
            }

            return;
        }

        if (_postmasterPid > 0)
        {
            // SIGINT is PostgreSQL's fast shutdown; addressed to our postmaster only.
            await RunAsync("kill", ["-s", "INT", _postmasterPid.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (Directory.Exists($"/proc/{_postmasterPid}") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }

            if (Directory.Exists($"/proc/{_postmasterPid}"))
            {
                await RunAsync("kill", ["-s", "KILL", _postmasterPid.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
            }
        }

        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is not worth failing a test for.
            }
        }
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private async Task StartClusterAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL is not installed ({BinDirectory}/initdb): apt-get install postgresql, or set {ExternalVariable}.");
        }

        _directory = Path.Combine(Path.GetTempPath(), "ctpg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
        if (IsRoot)
        {
            await RunCheckedAsync("chown", ["postgres:postgres", _directory], asPostgres: false).ConfigureAwait(false);
        }

        var data = Path.Combine(_directory, "data");
        var port = FreePorts.Next();

        // --no-sync: a throwaway cluster does not need to survive a power cut, and fsync is most of initdb's time.
        await RunCheckedAsync(Path.Combine(BinDirectory, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]).ConfigureAwait(false);
        await RunCheckedAsync(
            Path.Combine(BinDirectory, "pg_ctl"),
            ["start", "-D", data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "-s",
             "-o", $"-p {port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"]).ConfigureAwait(false);
        _postmasterPid = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First().Trim(), CultureInfo.InvariantCulture);
        ServerConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
        }.ConnectionString;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task RunCheckedAsync(string file, string[] arguments, bool asPostgres = true)
    {
        var (code, output) = await RunAsync(asPostgres && IsRoot ? "runuser" : file, asPostgres && IsRoot ? ["-u", "postgres", "--", file, .. arguments] : arguments).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {code}: {output}");
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false)));
    }
}
