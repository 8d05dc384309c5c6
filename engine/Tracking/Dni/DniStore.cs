using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CallTracking.Engine.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Tracking.Dni;

/// <summary>
/// Visitor sessions and pool leases in PostgreSQL. A page view starts or resumes a session, picks the site's first
/// matching source (<see cref="SourceRule.Choose"/>) and, for a pool source, leases a free number to the session:
/// the number row is locked <c>FOR UPDATE SKIP LOCKED</c> so concurrent visitors take different numbers without
/// waiting, and the unique index <c>dni_leases_one_holder</c> guarantees that two sessions never hold one number
/// at once (a lost race is retried with the next number). Leases expire lazily: the next allocation in the pool
/// closes every lease past its expiry at its expiry time. Time comes from the <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class DniStore
{
    public const string MeterName = "CallTracking.Dni";

    /// <summary>A session without a pool lease ends after this long without a page view or heartbeat.</summary>
    public static readonly TimeSpan SessionIdle = TimeSpan.FromMinutes(30);

    /// <summary>How often the utilisation warning may be logged per pool.</summary>
    private static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(5);

    /// <summary>Lost races on one allocation before the pool counts as exhausted (each loss means another session got a number).</summary>
    private const int AllocationAttempts = 8;

    private readonly NpgsqlDataSource _dataSource;
    private readonly CallRecordStore _records;
    private readonly TimeProvider _time;
    private readonly ILogger<DniStore> _logger;
    private readonly Counter<long> _sessions;
    private readonly Counter<long> _exhausted;

    // Pool id → when its utilisation warning was last logged; shared by request threads.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _warned = new();

    public DniStore(NpgsqlDataSource dataSource, CallRecordStore records, TimeProvider time, IMeterFactory meters, ILogger<DniStore> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _records = records;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _sessions = meter.CreateCounter<long>("calltracking.dni.sessions", description: "Visitor sessions started, by assignment");
        _exhausted = meter.CreateCounter<long>("calltracking.dni.pool_exhausted", description: "Sessions that got a pool's fallback number because every number was taken");
    }

    /// <summary>SHA-256 of a site secret, as stored in <c>dni_sites.secret_hash</c>.</summary>
    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>A new public site key: <c>dpk_</c> and 24 random base32 characters (120 bits).</summary>
    public static string NewPublicKey() => "dpk_" + RandomText(24);

    /// <summary>A new site secret: <c>dss_</c> and 40 random base32 characters (200 bits).</summary>
    public static string NewSecret() => "dss_" + RandomText(40);

    private static string RandomText(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        return RandomNumberGenerator.GetString(alphabet, length);
    }

    public Task<DniSite?> FindSiteByKeyAsync(string publicKey, CancellationToken cancellationToken) =>
        FindSiteAsync("public_key = $1", new NpgsqlParameter { Value = publicKey, NpgsqlDbType = NpgsqlDbType.Text }, cancellationToken);

    public Task<DniSite?> FindSiteBySecretAsync(string secret, CancellationToken cancellationToken) =>
        FindSiteAsync("secret_hash = $1", new NpgsqlParameter { Value = HashSecret(secret), NpgsqlDbType = NpgsqlDbType.Bytea }, cancellationToken);

    private async Task<DniSite?> FindSiteAsync(string where, NpgsqlParameter parameter, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT id, organisation_id, name, allowed_origins, swap_numbers, heartbeat_seconds FROM dni_sites WHERE {where}");
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new DniSite(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.GetFieldValue<string[]>(4), reader.GetInt32(5));
    }

    /// <summary>
    /// A page view (<paramref name="touch"/> set) or a heartbeat (null): resumes the visitor's live session
    /// (<paramref name="sessionId"/>, or the visitor's latest when a page view names none) and keeps or renews its
    /// lease, or — for a page view — starts a new session. Returns null for a heartbeat whose session has ended.
    /// </summary>
    public async Task<DniAssignment?> VisitAsync(DniSite site, string visitorId, Guid? sessionId, VisitorTouch? touch, string? ipAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentException.ThrowIfNullOrEmpty(visitorId);
        var now = _time.GetUtcNow();
        List<PoolState> exhausted;
        bool started;
        DniAssignment? result;
        for (var attempt = 1; ; attempt++)
        {
            exhausted = [];
            started = false;
            try
            {
                result = await VisitOnceAsync(site, visitorId, sessionId, touch, ipAddress, now, exhausted, () => started = true, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (PostgresException e) when (attempt < 3 && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // Two allocations closing the same expired leases can deadlock; PostgreSQL aborts one, which tries again.
            }
        }

        foreach (var pool in exhausted)
        {
            _exhausted.Add(1);
            LogExhausted(_logger, pool.Name, pool.Id, pool.Numbers, pool.FallbackNumber ?? "(none)");
        }

        if (result is not null && started)
        {
            _sessions.Add(1, new KeyValuePair<string, object?>("assignment", result.Assignment));
        }

        return result;
    }

    private Task<DniAssignment?> VisitOnceAsync(DniSite site, string visitorId, Guid? sessionId, VisitorTouch? touch, string? ipAddress, DateTimeOffset now, List<PoolState> exhausted, Action markStarted, CancellationToken cancellationToken)
    {
        return _records.WriteAsync(
            async (connection, transaction, events) =>
            {
                var db = new Tx(connection, transaction);
                var live = await FindLiveSessionAsync(db, site, visitorId, sessionId, touch is not null, now, cancellationToken).ConfigureAwait(false);
                DniAssignment? assignment;
                if (live is not null)
                {
                    assignment = await ResumeAsync(db, site, visitorId, live, touch, now, exhausted, cancellationToken).ConfigureAwait(false);
                }
                else if (touch is not null)
                {
                    markStarted();
                    assignment = await StartAsync(db, site, visitorId, touch, ipAddress, now, exhausted, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    return null;
                }

                // Events last: OutboxEvents takes the event-order lock until commit (see CallRecordStore).
                foreach (var pool in exhausted)
                {
                    var payload = new PoolExhaustedPayload(pool.Id, pool.Name, site.Id, assignment.SessionId, pool.Numbers, pool.Leased, pool.CoolingDown, pool.Utilisation, pool.FallbackNumber);
                    await events(site.OrganisationId, null, DniEventKinds.PoolExhausted, JsonSerializer.Serialize(payload, DniJsonContext.Default.PoolExhaustedPayload), cancellationToken).ConfigureAwait(false);
                }

                return assignment;
            },
            cancellationToken);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Number pool {Pool} ({PoolId}) is exhausted: all {Numbers} numbers are leased or cooling down; showing the fallback {Fallback}")]
    private static partial void LogExhausted(ILogger logger, string pool, Guid poolId, int numbers, string fallback);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Number pool {Pool} ({PoolId}) is {Percent:0}% used ({Busy} of {Numbers} numbers leased or cooling down); above 75% visitors may soon get the fallback number")]
    private static partial void LogUtilisation(ILogger logger, string pool, Guid poolId, double percent, int busy, int numbers);
}
