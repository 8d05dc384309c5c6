using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CallTracking.Engine.Hosting;
using Npgsql;

namespace CallTracking.Engine.Storage;

/// <summary>
/// The engine's private PostgreSQL cluster under <c>&lt;Data:Path&gt;/pg</c>: created with initdb on first start,
/// started with the engine (pg_ctl), stopped when it exits (<c>pg_ctl stop -m fast</c>).
/// <para>
/// Layout: <c>pg/cluster</c> (PGDATA), <c>pg/port</c> (the TCP port chosen at creation, reused on restart unless
/// something else took it), <c>pg/.engine-password</c>, <c>pg/server.log</c>, and the Unix socket in <c>pg</c>
/// itself. The folder is 0700 and belongs to the <c>postgres</c> user when the engine runs as root.
/// </para>
/// <para>
/// Authentication: trust on the Unix socket, whose folder only the server's user (and root) can enter, so only
/// the engine's own user gets in without a password; scram-sha-256 on 127.0.0.1 with a generated password kept in
/// <c>pg/.engine-password</c> (0600), so another local user who can reach the loopback port cannot.
/// </para>
/// The connection string is fixed at construction (port chosen then) so an <see cref="NpgsqlDataSource"/> can be
/// built before the cluster runs; nothing connects until <see cref="StartAsync"/> has returned.
/// </summary>
public sealed partial class EmbeddedPostgres
{
    public const string SuperUser = "calltracking";
    public const string DatabaseName = "calltracking";

    // sockaddr_un.sun_path holds 108 bytes with its NUL; PostgreSQL adds "/.s.PGSQL.NNNNN.lock".
    private const int MaxSocketPath = 107;

    private readonly string? _configuredBinaries;
    private readonly ILogger _logger;
    private bool _started;

    public EmbeddedPostgres(string dataPath, string? configuredBinaries, ILogger<EmbeddedPostgres> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataPath);
        ArgumentNullException.ThrowIfNull(logger);
        _configuredBinaries = configuredBinaries;
        _logger = logger;
        Directory = Path.Combine(dataPath, "pg");
        ClusterDirectory = Path.Combine(Directory, "cluster");
        SocketDirectory = SocketDirectoryFor(Directory);
        Port = ChoosePort();
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = SocketDirectory,
            Port = Port,
            Username = SuperUser,
            Database = DatabaseName,
        }.ConnectionString;
    }

    /// <summary>Where the socket of the cluster in <paramref name="directory"/> (<c>&lt;Data:Path&gt;/pg</c>) lives.</summary>
    public static string SocketDirectoryFor(string directory) =>
        Path.Combine(directory, ".s.PGSQL.65535.lock").Length <= MaxSocketPath
            ? directory
            : Path.Combine("/tmp", "calltracking-pg-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(directory)))[..16]);

    /// <summary><c>&lt;Data:Path&gt;/pg</c>.</summary>
    public string Directory { get; }

    /// <summary>PGDATA.</summary>
    public string ClusterDirectory { get; }

    /// <summary>Where the Unix socket is: <see cref="Directory"/>, or a folder under /tmp when that path is too long for a socket.</summary>
    public string SocketDirectory { get; }

    /// <summary>The TCP port on 127.0.0.1 (and the socket's number).</summary>
    public int Port { get; }

    /// <summary>Through the Unix socket, as the cluster's superuser, to the engine's database.</summary>
    public string ConnectionString { get; }

    private string PortFile => Path.Combine(Directory, "port");

    private string PasswordFile => Path.Combine(Directory, ".engine-password");

    private string LogFile => Path.Combine(Directory, "server.log");

    /// <summary>Creates the cluster if needed and starts it (or adopts one this folder's previous run left running).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var binaries = PostgresBinaries.Locate(_configuredBinaries);
        try
        {
            await StartCoreAsync(binaries, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NpgsqlException)
        {
            throw new StartupException($"the embedded database at {Directory} could not start: {e.Message}", e);
        }
    }

    private async Task StartCoreAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
        {
            await CreateAsync(binaries, cancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(PortFile, Port.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);

        if (RunningPostmaster() is { } running)
        {
            LogAdopted(running.Pid, running.Port);
        }
        else
        {
            RemoveStaleLocks();
            if (SocketDirectory != Directory)
            {
                System.IO.Directory.CreateDirectory(SocketDirectory);
                await ServerProcess.MakePrivateAsync(SocketDirectory, cancellationToken).ConfigureAwait(false);
            }

            var options = string.Create(
                CultureInfo.InvariantCulture,
                $"-p {Port} -k {ShellQuote(SocketDirectory)} -c listen_addresses=127.0.0.1");
            var (code, output) = await ServerProcess.RunAsync(
                binaries.PgCtl,
                ["start", "-D", ClusterDirectory, "-l", LogFile, "-w", "-t", "60", "-s", "-o", options],
                cancellationToken).ConfigureAwait(false);
            if (code != 0)
            {
                throw new IOException($"pg_ctl start failed ({output}); server log {LogFile}: {Tail(LogFile)}");
            }

            LogStarted(Port, SocketDirectory);
        }

        _started = true;
        await EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the cluster (fast shutdown: open sessions are ended, work is not lost).</summary>
    public async Task StopAsync()
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        var binaries = PostgresBinaries.Locate(_configuredBinaries);
        var (code, output) = await ServerProcess.RunAsync(
            binaries.PgCtl,
            ["stop", "-D", ClusterDirectory, "-m", "fast", "-w", "-t", "60", "-s"],
            CancellationToken.None).ConfigureAwait(false);
        if (code == 0)
        {
            LogStopped(Directory);
        }
        else
        {
            LogStopFailed(output);
        }
    }

    private async Task CreateAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        LogCreating(Directory, binaries.Directory);
        System.IO.Directory.CreateDirectory(Directory);
        await ServerProcess.MakePrivateAsync(Directory, cancellationToken).ConfigureAwait(false);
        if (System.IO.Directory.Exists(ClusterDirectory))
        {
            // A creation that died half-way: initdb refuses a non-empty folder.
            System.IO.Directory.Delete(ClusterDirectory, recursive: true);
        }

        await File.WriteAllTextAsync(PasswordFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)), cancellationToken).ConfigureAwait(false);
        await ServerProcess.MakePrivateAsync(PasswordFile, cancellationToken).ConfigureAwait(false);
        var (code, output) = await ServerProcess.RunAsync(
            binaries.InitDb,
            ["-D", ClusterDirectory, "-U", SuperUser, "--pwfile", PasswordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new IOException($"initdb failed: {output}" + (ServerProcess.IsRoot ? $" (it runs as the '{ServerProcess.ServerUser}' user, who must be able to enter every folder above {Directory})" : string.Empty));
        }

        // initdb fsyncs each of its ~1,000 files one by one (seconds on a busy disk); one syncfs(2) of the file
        // system makes the new cluster just as durable before the first start.
        (code, output) = await ServerProcess.RunAsync("sync", ["-f", ClusterDirectory], cancellationToken, asServerUser: false).ConfigureAwait(false);
        if (code != 0)
        {
            throw new IOException($"sync -f {ClusterDirectory} failed: {output}");
        }
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.Add(new() { Value = DatabaseName });
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The stored port when it is still ours to use, else a free one.</summary>
    private int ChoosePort()
    {
        if (RunningPostmaster() is { } running)
        {
            return running.Port;
        }

        if (File.Exists(PortFile)
            && int.TryParse(File.ReadAllText(PortFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var stored)
            && stored is > 0 and <= IPEndPoint.MaxPort)
        {
            if (IsFree(stored))
            {
                return stored;
            }

            LogPortTaken(stored);
        }

        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// A postmaster still running on this cluster (the engine was killed and could not stop it), or null. postmaster.pid
    /// is only believed when its process really is a postgres of this folder: after a crash or reboot the number may
    /// belong to anything.
    /// </summary>
    private (int Pid, int Port)? RunningPostmaster()
    {
        var lines = ReadLines(Path.Combine(ClusterDirectory, "postmaster.pid"));
        if (lines.Length < 4
            || !int.TryParse(lines[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !int.TryParse(lines[3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        string commandLine;
        try
        {
            commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return commandLine.Contains("postgres", StringComparison.Ordinal) && commandLine.Contains(ClusterDirectory, StringComparison.Ordinal)
            ? (pid, port)
            : null;
    }

    /// <summary>After a crash: a postmaster.pid or socket lock whose process is gone (or is now something else) would stop the start.</summary>
    private void RemoveStaleLocks()
    {
        var pidFile = Path.Combine(ClusterDirectory, "postmaster.pid");
        if (File.Exists(pidFile))
        {
            LogStalePid(pidFile);
            File.Delete(pidFile);
        }

        var socketLock = Path.Combine(SocketDirectory, string.Create(CultureInfo.InvariantCulture, $".s.PGSQL.{Port}.lock"));
        if (File.Exists(socketLock))
        {
            File.Delete(socketLock);
            File.Delete(Path.Combine(SocketDirectory, string.Create(CultureInfo.InvariantCulture, $".s.PGSQL.{Port}")));
        }
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllLines(path) : [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string Tail(string path)
    {
        var lines = ReadLines(path);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 5)));
    }

    // pg_ctl hands -o to /bin/sh.
    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating the embedded PostgreSQL cluster at {Directory} with {Binaries}")]
    private partial void LogCreating(string directory, string binaries);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL started on port {Port} (socket in {SocketDirectory})")]
    private partial void LogStarted(int port, string socketDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded PostgreSQL (pid {Pid}, port {Port}) was still running from a previous run; using it")]
    private partial void LogAdopted(int pid, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing stale {PidFile} left by a crash")]
    private partial void LogStalePid(string pidFile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedded PostgreSQL's port {Port} is taken by another program; choosing another")]
    private partial void LogPortTaken(int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL at {Directory} stopped")]
    private partial void LogStopped(string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping the embedded PostgreSQL failed: {Output}. Its log is server.log under Data:Path/pg; the next start recovers a cluster left running")]
    private partial void LogStopFailed(string output);
}
