using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Tracking.Dni;

public sealed partial class DniStore
{
    /// <summary>
    /// A pool's numbers, how many are leased now, and how many are resting in the cool-down (no live lease, but one
    /// that ended less than cooldown_seconds ago). $1 pool, $2 now.
    /// </summary>
    private const string PoolStateSql = """
        SELECT p.id, p.name, p.lease_seconds, p.cooldown_seconds, p.fallback_number_id, f.number,
            (SELECT count(*) FROM dni_pool_numbers pn WHERE pn.pool_id = p.id)::int,
            (SELECT count(*) FROM dni_leases l WHERE l.pool_id = p.id AND l.released_at IS NULL AND l.expires_at > $2)::int,
            (SELECT count(*) FROM dni_pool_numbers pn WHERE pn.pool_id = p.id
                AND NOT EXISTS (SELECT 1 FROM dni_leases l WHERE l.tracking_number_id = pn.tracking_number_id AND l.released_at IS NULL AND l.expires_at > $2)
                AND EXISTS (SELECT 1 FROM dni_leases l WHERE l.tracking_number_id = pn.tracking_number_id
                            AND least(coalesce(l.released_at, 'infinity'::timestamptz), l.expires_at) > $2 - make_interval(secs => p.cooldown_seconds)))::int
        FROM dni_pools p LEFT JOIN tracking_numbers f ON f.id = p.fallback_number_id
        WHERE p.id = $1
        """;

    /// <summary>
    /// The session's lease in the pool, extended by the pool's lease time from now; or a new one on the free number
    /// that rested longest (the session's own previous number first, so a page that lost its lease gets it back
    /// while nobody else holds it); or null when every number is leased or cooling down.
    /// </summary>
    private static async Task<Lease?> LeaseAsync(Tx db, Guid poolId, Guid sessionId, DateTimeOffset now, CancellationToken ct)
    {
        // Close the pool's expired leases at their expiry, so the partial unique index sees only live ones.
        await db.ExecuteAsync("UPDATE dni_leases SET released_at = expires_at WHERE pool_id = $1 AND released_at IS NULL AND expires_at <= $2", ct, poolId, now).ConfigureAwait(false);

        int leaseSeconds, cooldownSeconds;
        await using (var command = db.Command("SELECT lease_seconds, cooldown_seconds FROM dni_pools WHERE id = $1", poolId))
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }

            leaseSeconds = reader.GetInt32(0);
            cooldownSeconds = reader.GetInt32(1);
        }

        var expires = now.AddSeconds(leaseSeconds);
        await using (var command = db.Command(
            """
            UPDATE dni_leases l SET expires_at = $3 WHERE l.session_id = $1 AND l.pool_id = $2 AND l.released_at IS NULL
            RETURNING l.tracking_number_id, (SELECT number FROM tracking_numbers t WHERE t.id = l.tracking_number_id)
            """,
            sessionId, poolId, expires))
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return new Lease(reader.GetGuid(0), reader.GetString(1), expires);
            }
        }

        for (var attempt = 0; attempt < AllocationAttempts; attempt++)
        {
            Guid numberId;
            string number;
            await using (var command = db.Command(
                """
                SELECT pn.tracking_number_id, t.number
                FROM dni_pool_numbers pn JOIN tracking_numbers t ON t.id = pn.tracking_number_id
                WHERE pn.pool_id = $1
                  AND NOT EXISTS (SELECT 1 FROM dni_leases l WHERE l.tracking_number_id = pn.tracking_number_id
                                  AND (l.released_at IS NULL OR (l.session_id <> $3 AND l.released_at > $2 - make_interval(secs => $4))))
                ORDER BY EXISTS (SELECT 1 FROM dni_leases l WHERE l.tracking_number_id = pn.tracking_number_id AND l.session_id = $3) DESC,
                         (SELECT max(l.released_at) FROM dni_leases l WHERE l.tracking_number_id = pn.tracking_number_id) ASC NULLS FIRST,
                         t.number
                LIMIT 1
                FOR UPDATE OF pn SKIP LOCKED
                """,
                poolId, now, sessionId, cooldownSeconds))
            {
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    return null;
                }

                numberId = reader.GetGuid(0);
                number = reader.GetString(1);
            }

            // A transaction that committed a lease on this number after our statement's snapshot was taken is not
            // seen by NOT EXISTS (READ COMMITTED rechecks only the locked row): the unique index refuses the second
            // holder, and the savepoint lets us try the next number.
            await db.Transaction.SaveAsync("lease", ct).ConfigureAwait(false);
            try
            {
                await db.ExecuteAsync(
                    "INSERT INTO dni_leases (pool_id, tracking_number_id, session_id, leased_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                    ct, poolId, numberId, sessionId, now, expires).ConfigureAwait(false);
                await db.Transaction.ReleaseAsync("lease", ct).ConfigureAwait(false);
                return new Lease(numberId, number, expires);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                await db.Transaction.RollbackAsync("lease", ct).ConfigureAwait(false);
            }
        }

        return null;
    }

    private static async Task<PoolState?> PoolStateAsync(Tx db, Guid poolId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = db.Command(PoolStateSql, poolId, now);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadPoolState(reader) : null;
    }

    private static PoolState ReadPoolState(NpgsqlDataReader reader)
    {
        var numbers = reader.GetInt32(6);
        var leased = reader.GetInt32(7);
        var cooling = reader.GetInt32(8);
        return new PoolState(
            reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
            reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.IsDBNull(5) ? null : reader.GetString(5),
            numbers, leased, cooling, numbers == 0 ? 1.0 : (double)(leased + cooling) / numbers);
    }

    /// <summary>
    /// The pool's utilisation now and its recommended size (<see cref="PoolUtilisation"/>). Without
    /// <paramref name="visitsPerHour"/>, the visits of the last 24 hours that came to the pool, per hour; without
    /// <paramref name="callRate"/>, the share of those sessions whose number was called. Null when the pool is not
    /// in <paramref name="scope"/>.
    /// </summary>
    public async Task<PoolUtilisation?> UtilisationAsync(Guid poolId, IReadOnlyList<Guid> scope, double? visitsPerHour, double? callRate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var now = _time.GetUtcNow();
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var db = new Tx(connection, transaction);
        await using (var visible = db.Command("SELECT 1 FROM dni_pools WHERE id = $1 AND organisation_id = any($2)", poolId, scope.ToArray()))
        {
            if (await visible.ExecuteScalarAsync(ct).ConfigureAwait(false) is null)
            {
                return null;
            }
        }

        var state = (await PoolStateAsync(db, poolId, now, ct).ConfigureAwait(false))!;
        double measuredVisits, measuredCalls;
        await using (var command = db.Command(
            """
            SELECT count(*)::double precision / 24,
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM call_attributions a WHERE a.session_id = s.id))::double precision / greatest(count(*), 1)
            FROM dni_sessions s WHERE s.pool_id = $1 AND s.started_at > $2 - interval '24 hours'
            """,
            poolId, now))
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            measuredVisits = reader.GetDouble(0);
            measuredCalls = reader.GetDouble(1);
        }

        var visits = visitsPerHour ?? measuredVisits;
        var calls = callRate ?? measuredCalls;
        return new PoolUtilisation(
            state.Id, state.Name, state.Numbers, state.Leased, state.CoolingDown, Math.Round(state.Utilisation, 4), Math.Round(visits, 3), Math.Round(calls, 4),
            state.LeaseSeconds, state.CooldownSeconds, PoolUtilisation.Recommend(visits, state.LeaseSeconds, state.CooldownSeconds, calls), PoolUtilisation.FormulaText);
    }

    private sealed record Lease(Guid NumberId, string Number, DateTimeOffset ExpiresAt);

    private sealed record PoolState(
        Guid Id, string Name, int LeaseSeconds, int CooldownSeconds, Guid? FallbackNumberId, string? FallbackNumber, int Numbers, int Leased, int CoolingDown, double Utilisation);

    /// <summary>One connection and its transaction; statements with positional parameters.</summary>
    private sealed class Tx(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        public NpgsqlTransaction Transaction => transaction;

        public NpgsqlCommand Command(string sql, params object?[] values)
        {
            var command = new NpgsqlCommand(sql, connection, transaction);
            foreach (var value in values)
            {
                command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            return command;
        }

        public async Task<int> ExecuteAsync(string sql, CancellationToken ct, params object?[] values)
        {
            await using var command = Command(sql, values);
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
