using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Tracking.Dni;

public sealed partial class DniStore
{
    private const string TouchColumns = "landing_page, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content, gclid, gbraid, wbraid, msclkid, fbclid, ga_client_id, ga_session_id, user_agent";

    private static async Task<LiveSession?> FindLiveSessionAsync(Tx db, DniSite site, string visitorId, Guid? sessionId, bool latest, DateTimeOffset now, CancellationToken ct)
    {
        if (sessionId is null && !latest)
        {
            return null;
        }

        await using var command = db.Command(
            """
            SELECT s.id, s.assignment, s.pool_id, s.last_seen_at, coalesce(p.lease_seconds, $4)
            FROM dni_sessions s LEFT JOIN dni_pools p ON p.id = s.pool_id
            WHERE s.site_id = $1 AND s.visitor_id = $2 AND ($3::uuid IS NULL OR s.id = $3)
            ORDER BY s.last_seen_at DESC
            LIMIT 1
            FOR UPDATE OF s
            """,
            site.Id, visitorId, Param(sessionId, NpgsqlDbType.Uuid), (int)SessionIdle.TotalSeconds);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        var session = new LiveSession(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2));
        var lastSeen = reader.GetFieldValue<DateTimeOffset>(3);
        var idle = TimeSpan.FromSeconds(reader.GetInt32(4));
        return lastSeen + idle > now ? session : null;
    }

    private async Task<DniAssignment> StartAsync(Tx db, DniSite site, string visitorId, VisitorTouch touch, string? ipAddress, DateTimeOffset now, List<PoolState> exhausted, CancellationToken ct)
    {
        var sources = new List<SourceRule>();
        await using (var command = db.Command(
            """
            SELECT s.id, s.name, s.priority, s.match_kind, s.match_param, s.match_value, s.match_utm_source, s.match_utm_medium, s.tracking_number_id, t.number, s.pool_id
            FROM dni_sources s LEFT JOIN tracking_numbers t ON t.id = s.tracking_number_id
            WHERE s.site_id = $1
            """,
            site.Id))
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (!SourceRule.TryParse(reader.GetString(3), out var kind))
                {
                    continue;
                }

                sources.Add(new SourceRule(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), kind)
                {
                    Parameter = Text(reader, 4),
                    Value = Text(reader, 5),
                    UtmSource = Text(reader, 6),
                    UtmMedium = Text(reader, 7),
                    TrackingNumberId = reader.IsDBNull(8) ? null : reader.GetGuid(8),
                    Number = Text(reader, 9),
                    PoolId = reader.IsDBNull(10) ? null : reader.GetGuid(10),
                });
            }
        }

        var source = SourceRule.Choose(sources, touch);
        string? firstTouch = null;
        await using (var command = db.Command("SELECT first_touch::text FROM dni_sessions WHERE site_id = $1 AND visitor_id = $2 ORDER BY started_at LIMIT 1", site.Id, visitorId))
        {
            firstTouch = await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        }

        var sessionId = Guid.CreateVersion7(now);
        await db.ExecuteAsync(
            $"""
            INSERT INTO dni_sessions (id, organisation_id, site_id, visitor_id, source_id, pool_id, assignment, {TouchColumns}, ip_address, first_touch, started_at, last_seen_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'none', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23::jsonb, $24, $24)
            """,
            ct,
            sessionId, site.OrganisationId, site.Id, visitorId, Param(source?.Id, NpgsqlDbType.Uuid), Param(source?.PoolId, NpgsqlDbType.Uuid),
            Param(touch.LandingPage), Param(touch.Referrer), Param(touch.UtmSource), Param(touch.UtmMedium), Param(touch.UtmCampaign), Param(touch.UtmTerm), Param(touch.UtmContent),
            Param(touch.Gclid), Param(touch.Gbraid), Param(touch.Wbraid), Param(touch.Msclkid), Param(touch.Fbclid), Param(touch.GaClientId), Param(touch.GaSessionId), Param(touch.UserAgent),
            Param(ipAddress), firstTouch ?? JsonSerializer.Serialize(touch, DniJsonContext.Default.VisitorTouch), now).ConfigureAwait(false);

        var live = new LiveSession(sessionId, "none", source?.PoolId);
        if (source is null)
        {
            return new DniAssignment(sessionId, visitorId, "none", null, site.SwapNumbers, site.HeartbeatSeconds, null);
        }

        if (source.PoolId is null)
        {
            await db.ExecuteAsync("UPDATE dni_sessions SET assignment = 'static', tracking_number_id = $2, number = $3 WHERE id = $1", ct, sessionId, Param(source.TrackingNumberId, NpgsqlDbType.Uuid), Param(source.Number)).ConfigureAwait(false);
            return new DniAssignment(sessionId, visitorId, "static", source.Number, site.SwapNumbers, site.HeartbeatSeconds, null);
        }

        return await AssignPoolAsync(db, site, visitorId, live, now, exhausted, ct).ConfigureAwait(false);
    }

    private async Task<DniAssignment> ResumeAsync(Tx db, DniSite site, string visitorId, LiveSession session, VisitorTouch? touch, DateTimeOffset now, List<PoolState> exhausted, CancellationToken ct)
    {
        // Last touch: a later page of the session that names a campaign (a new ad click) replaces the session's values.
        if (touch is { HasCampaign: true })
        {
            await db.ExecuteAsync(
                """
                UPDATE dni_sessions SET landing_page = $2, referrer = $3, utm_source = $4, utm_medium = $5, utm_campaign = $6, utm_term = $7,
                    utm_content = $8, gclid = $9, gbraid = $10, wbraid = $11, msclkid = $12, fbclid = $13,
                    ga_client_id = coalesce($14, ga_client_id), ga_session_id = coalesce($15, ga_session_id), user_agent = coalesce($16, user_agent)
                WHERE id = $1
                """,
                ct,
                session.Id, Param(touch.LandingPage), Param(touch.Referrer), Param(touch.UtmSource), Param(touch.UtmMedium), Param(touch.UtmCampaign), Param(touch.UtmTerm),
                Param(touch.UtmContent), Param(touch.Gclid), Param(touch.Gbraid), Param(touch.Wbraid), Param(touch.Msclkid), Param(touch.Fbclid),
                Param(touch.GaClientId), Param(touch.GaSessionId), Param(touch.UserAgent)).ConfigureAwait(false);
        }

        if (session.PoolId is not null && session.Assignment is "pool" or "unassigned")
        {
            return await AssignPoolAsync(db, site, visitorId, session, now, exhausted, ct).ConfigureAwait(false);
        }

        string? number;
        await using (var command = db.Command("UPDATE dni_sessions SET last_seen_at = $2 WHERE id = $1 RETURNING number", session.Id, now))
        {
            number = await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        }

        return new DniAssignment(session.Id, visitorId, session.Assignment, number, site.SwapNumbers, site.HeartbeatSeconds, null);
    }

    /// <summary>Keeps, renews or takes the session's pool lease; the pool's fallback when no number is free.</summary>
    private async Task<DniAssignment> AssignPoolAsync(Tx db, DniSite site, string visitorId, LiveSession session, DateTimeOffset now, List<PoolState> exhausted, CancellationToken ct)
    {
        var poolId = session.PoolId!.Value;
        var lease = await LeaseAsync(db, poolId, session.Id, now, ct).ConfigureAwait(false);
        var state = await PoolStateAsync(db, poolId, now, ct).ConfigureAwait(false);
        if (lease is { } held)
        {
            await db.ExecuteAsync("UPDATE dni_sessions SET assignment = 'pool', tracking_number_id = $2, number = $3, last_seen_at = $4 WHERE id = $1", ct, session.Id, held.NumberId, held.Number, now).ConfigureAwait(false);
            if (state is not null && state.Utilisation > PoolUtilisation.WarningThreshold)
            {
                WarnUtilisation(state, now);
            }

            return new DniAssignment(session.Id, visitorId, "pool", held.Number, site.SwapNumbers, site.HeartbeatSeconds, held.ExpiresAt);
        }

        // Exhausted: the fallback is shown and the session marked unassigned; the event is news only when the session
        // had no fallback before (a heartbeat of an unassigned session does not repeat it).
        // Numbers other allocations hold locked (not committed yet) are not in this transaction's counts, but were
        // not free either: exhaustion means every number was busy.
        if (state is not null && session.Assignment != "unassigned")
        {
            exhausted.Add(state with { Leased = state.Numbers - state.CoolingDown, Utilisation = 1.0 });
        }

        await db.ExecuteAsync(
            "UPDATE dni_sessions SET assignment = 'unassigned', tracking_number_id = $2, number = $3, last_seen_at = $4 WHERE id = $1",
            ct, session.Id, Param(state?.FallbackNumberId, NpgsqlDbType.Uuid), Param(state?.FallbackNumber), now).ConfigureAwait(false);
        return new DniAssignment(session.Id, visitorId, "unassigned", state?.FallbackNumber, site.SwapNumbers, site.HeartbeatSeconds, null);
    }

    private void WarnUtilisation(PoolState state, DateTimeOffset now)
    {
        if (_warned.TryGetValue(state.Id, out var last) && now - last < WarningInterval)
        {
            return;
        }

        _warned[state.Id] = now;
        LogUtilisation(_logger, state.Name, state.Id, state.Utilisation * 100, state.Leased + state.CoolingDown, state.Numbers);
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static NpgsqlParameter Param(object? value, NpgsqlDbType type = NpgsqlDbType.Text) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private sealed record LiveSession(Guid Id, string Assignment, Guid? PoolId);
}
