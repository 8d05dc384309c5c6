using System.Text.Json;
using CallTracking.Engine.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Tracking.Dni;

/// <summary>
/// Ties a starting call to what produced it (<see cref="CallAttribution"/>, run in call.started's transaction).
/// A pool number: the session whose lease covered the call's start is <c>exact</c>; else a session whose lease
/// ended within the pool's cool-down is <c>recent</c>; several such sessions are <c>ambiguous</c> (the one that
/// held the number last is recorded). A source's static number: <c>static</c>, with the source's name and UTM
/// values. Anything else (a pool number nobody held lately, a number no source uses) is not attributed.
/// </summary>
public static class CallAttributor
{
    private const string SessionColumns = """
        s.id, s.visitor_id, src.name, s.utm_source, s.utm_medium, s.utm_campaign, s.utm_term, s.utm_content, s.landing_page, s.referrer,
        s.gclid, s.gbraid, s.wbraid, s.msclkid, s.fbclid, s.ga_client_id, s.ga_session_id, s.user_agent
        """;

    public static async Task<string?> AttributeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CallStarted call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var at = call.StartedAt.ToUniversalTime();
        Guid? numberId = call.TrackingNumberId;
        if (numberId is null)
        {
            await using var find = Command(connection, transaction, "SELECT id FROM tracking_numbers WHERE number = $1 AND organisation_id = $2", call.TrackingNumber, call.OrganisationId);
            numberId = await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as Guid?;
            if (numberId is null)
            {
                return null;
            }
        }

        // Sessions that held the number at the call's start or within the cool-down before it, latest end first.
        var candidates = new List<(Guid Session, bool Covering)>();
        await using (var leases = Command(
            connection,
            transaction,
            """
            SELECT l.session_id, least(coalesce(l.released_at, 'infinity'::timestamptz), l.expires_at) > $2
            FROM dni_leases l JOIN dni_pools p ON p.id = l.pool_id
            WHERE l.tracking_number_id = $1 AND p.organisation_id = $3 AND l.leased_at <= $2
              AND least(coalesce(l.released_at, 'infinity'::timestamptz), l.expires_at) > $2 - make_interval(secs => p.cooldown_seconds)
            ORDER BY least(coalesce(l.released_at, 'infinity'::timestamptz), l.expires_at) DESC
            """,
            numberId.Value, at, call.OrganisationId))
        {
            await using var reader = await leases.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                candidates.Add((reader.GetGuid(0), reader.GetBoolean(1)));
            }
        }

        if (candidates.Count > 0)
        {
            var sessions = candidates.Select(c => c.Session).Distinct().ToList();
            var covering = candidates.Where(c => c.Covering).Select(c => c.Session).Distinct().ToList();
            var (confidence, session) = covering.Count == 1 ? ("exact", covering[0])
                : sessions.Count == 1 ? ("recent", sessions[0])
                : ("ambiguous", covering.Count > 0 ? covering[0] : sessions[0]);
            return await WriteSessionAsync(connection, transaction, call, confidence, session, cancellationToken).ConfigureAwait(false);
        }

        // A static number: the first source (by priority) that shows it.
        await using (var source = Command(
            connection,
            transaction,
            "SELECT name, match_utm_source, match_utm_medium FROM dni_sources WHERE tracking_number_id = $1 AND organisation_id = $2 ORDER BY priority LIMIT 1",
            numberId.Value, call.OrganisationId))
        {
            string name;
            string? utmSource, utmMedium;
            await using (var reader = await source.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                name = reader.GetString(0);
                utmSource = reader.IsDBNull(1) ? null : reader.GetString(1);
                utmMedium = reader.IsDBNull(2) ? null : reader.GetString(2);
            }

            await using var insert = Command(
                connection,
                transaction,
                "INSERT INTO call_attributions (call_id, organisation_id, confidence, source_name, utm_source, utm_medium, attributed_at) VALUES ($1, $2, 'static', $3, $4, $5, $6)",
                call.CallId, call.OrganisationId, name, Text(utmSource), Text(utmMedium), at);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            var payload = new CallAttributedPayload(call.CallId, "static", null, null, name, utmSource, utmMedium, null, null, null, null, null, null, null, null, null, null, null, null);
            return JsonSerializer.Serialize(payload, DniJsonContext.Default.CallAttributedPayload);
        }
    }

    private static async Task<string?> WriteSessionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CallStarted call, string confidence, Guid sessionId, CancellationToken cancellationToken)
    {
        CallAttributedPayload payload;
        string? userAgent;
        await using (var select = Command(connection, transaction, $"SELECT {SessionColumns} FROM dni_sessions s LEFT JOIN dni_sources src ON src.id = s.source_id WHERE s.id = $1", sessionId))
        {
            await using var r = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            string? T(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            payload = new CallAttributedPayload(
                call.CallId, confidence, r.GetGuid(0), T(1), T(2), T(3), T(4), T(5), T(6), T(7), T(8), T(9), T(10), T(11), T(12), T(13), T(14), T(15), T(16));
            userAgent = T(17);
        }

        await using var insert = Command(
            connection,
            transaction,
            """
            INSERT INTO call_attributions (call_id, organisation_id, confidence, session_id, visitor_id, source_name, utm_source, utm_medium, utm_campaign,
                utm_term, utm_content, landing_page, referrer, gclid, gbraid, wbraid, msclkid, fbclid, ga_client_id, ga_session_id, user_agent, attributed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
            """,
            call.CallId, call.OrganisationId, confidence, sessionId, Text(payload.VisitorId), Text(payload.SourceName), Text(payload.UtmSource), Text(payload.UtmMedium),
            Text(payload.UtmCampaign), Text(payload.UtmTerm), Text(payload.UtmContent), Text(payload.LandingPage), Text(payload.Referrer), Text(payload.Gclid),
            Text(payload.Gbraid), Text(payload.Wbraid), Text(payload.Msclkid), Text(payload.Fbclid), Text(payload.GaClientId), Text(payload.GaSessionId),
            Text(userAgent), call.StartedAt.ToUniversalTime());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(payload, DniJsonContext.Default.CallAttributedPayload);
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = value ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
