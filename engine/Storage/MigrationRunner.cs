using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;

namespace CallTracking.Engine.Storage;

/// <summary>
/// Applies the SQL migrations embedded in the engine (<c>Storage/Migrations/NNNN_name.sql</c>) in version order,
/// each in its own transaction with its row in <c>schema_migrations</c>. A session-level advisory lock serialises
/// engines that start at the same time against one database: the second waits, then finds nothing left to do.
/// </summary>
public sealed partial class MigrationRunner
{
    private const string ResourcePrefix = "CallTracking.Engine.Storage.Migrations.";

    // Any constant shared by every engine; "CTMIGRAT" in ASCII.
    private const long AdvisoryLockKey = 0x43544D4947524154;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;

    public MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _logger = logger;
    }

    /// <summary>The migrations shipped in this build, in version order.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    /// <summary>Applies every migration not yet recorded; returns those it applied (none when up to date).</summary>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(CancellationToken cancellationToken)
    {
        var applied = new List<Migration>();
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
            try
            {
                await ExecuteAsync(
                    connection,
                    null,
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                    cancellationToken).ConfigureAwait(false);

                var done = new HashSet<int>();
                await using (var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
                {
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            done.Add(reader.GetInt32(0));
                        }
                    }
                }

                foreach (var migration in Embedded)
                {
                    if (done.Contains(migration.Version))
                    {
                        continue;
                    }

                    var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        try
                        {
                            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                        }
                        catch (PostgresException e)
                        {
                            throw new InvalidOperationException($"migration {migration.Version:D4}_{migration.Name} failed: {e.MessageText}", e);
                        }

                        await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, transaction))
                        {
                            record.Parameters.Add(new() { Value = migration.Version });
                            record.Parameters.Add(new() { Value = migration.Name });
                            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        }

                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    LogApplied(migration.Version, migration.Name);
                    applied.Add(migration);
                }
            }
            finally
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (applied.Count == 0)
        {
            LogUpToDate(Embedded.Count == 0 ? 0 : Embedded[^1].Version);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var match = FileName().Match(resource[ResourcePrefix.Length..]);
            if (!match.Success)
            {
                throw new InvalidOperationException($"embedded migration '{resource}' is not named NNNN_name.sql");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(
                int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture),
                match.Groups[2].Value,
                reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"two embedded migrations have version {migrations[i].Version}");
            }
        }

        return migrations;
    }

    [GeneratedRegex("^([0-9]{4})_([A-Za-z0-9_]+)\\.sql$")]
    private static partial Regex FileName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Database migration {Version:D4}_{Name} applied")]
    private partial void LogApplied(int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema up to date (version {Version})")]
    private partial void LogUpToDate(int version);
}
