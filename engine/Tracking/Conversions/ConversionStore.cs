using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Tracking.Conversions;

/// <summary>Reads conversion actions and the calls they are about (call record + attribution + organisation).</summary>
public static class ConversionStore
{
    public const string ActionColumns =
        "id, organisation_id, name, platform, conversion_name, min_talk_seconds, required_tag, min_score, value, currency, send, settings::text, enabled";

    private const string CallSelect = """
        SELECT c.id, c.organisation_id, c.caller_number, c.started_at, c.ended_at, c.talk_seconds, c.score, c.value,
               coalesce((SELECT array_agg(t.tag ORDER BY t.tag) FROM call_tags t WHERE t.call_id = c.id), '{}'),
               a.gclid, a.gbraid, a.wbraid, a.msclkid, a.fbclid, a.ga_client_id, a.ga_session_id, a.attributed_at,
               a.utm_source, a.utm_medium, a.utm_campaign, a.utm_term, a.utm_content, a.landing_page, o.time_zone, o.phone_country
        FROM calls c
        JOIN organisations o ON o.id = c.organisation_id
        LEFT JOIN call_attributions a ON a.call_id = c.id
        """;

    public static ConversionAction ReadAction(NpgsqlDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(
            r.GetGuid(0),
            r.GetGuid(1),
            r.GetString(2),
            r.GetString(3),
            r.GetString(4),
            r.GetDecimal(5),
            r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : r.GetInt32(7),
            r.IsDBNull(8) ? null : r.GetDecimal(8),
            r.GetString(9),
            r.GetBoolean(10),
            ConversionRequests.ParseSettings(r.GetString(11)),
            r.GetBoolean(12));
    }

    public static async Task<List<ConversionAction>> ActionsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid organisation, bool sendingOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand(
            $"SELECT {ActionColumns} FROM conversion_actions WHERE organisation_id = $1 AND enabled AND (send OR NOT $2) ORDER BY name", connection, transaction);
        command.Parameters.Add(new() { Value = organisation, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = sendingOnly, NpgsqlDbType = NpgsqlDbType.Boolean });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var actions = new List<ConversionAction>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            actions.Add(ReadAction(reader));
        }

        return actions;
    }

    public static async Task<ConversionCall?> CallAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid callId, CancellationToken cancellationToken)
    {
        var calls = await ReadCallsAsync(connection, transaction, CallSelect + " WHERE c.id = $1", cancellationToken, new NpgsqlParameter { Value = callId, NpgsqlDbType = NpgsqlDbType.Uuid }).ConfigureAwait(false);
        return calls.Count == 0 ? null : calls[0];
    }

    /// <summary>The organisation's ended calls that started in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    public static Task<List<ConversionCall>> EndedCallsAsync(NpgsqlConnection connection, Guid organisation, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadCallsAsync(
            connection,
            null,
            CallSelect + " WHERE c.organisation_id = $1 AND c.ended_at IS NOT NULL AND c.started_at >= $2 AND c.started_at < $3 ORDER BY c.started_at, c.id",
            cancellationToken,
            new NpgsqlParameter { Value = organisation, NpgsqlDbType = NpgsqlDbType.Uuid },
            new NpgsqlParameter { Value = from.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new NpgsqlParameter { Value = to.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });

    private static async Task<List<ConversionCall>> ReadCallsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var calls = new List<ConversionCall>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            calls.Add(new ConversionCall
            {
                CallId = r.GetGuid(0),
                OrganisationId = r.GetGuid(1),
                CallerNumber = Text(2),
                StartedAt = r.GetFieldValue<DateTimeOffset>(3),
                EndedAt = r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4),
                TalkSeconds = r.IsDBNull(5) ? null : r.GetDecimal(5),
                Score = r.GetInt32(6),
                Value = r.IsDBNull(7) ? null : r.GetDecimal(7),
                Tags = r.GetFieldValue<string[]>(8),
                Gclid = Text(9),
                Gbraid = Text(10),
                Wbraid = Text(11),
                Msclkid = Text(12),
                Fbclid = Text(13),
                GaClientId = Text(14),
                GaSessionId = Text(15),
                AttributedAt = r.IsDBNull(16) ? null : r.GetFieldValue<DateTimeOffset>(16),
                UtmSource = Text(17),
                UtmMedium = Text(18),
                UtmCampaign = Text(19),
                UtmTerm = Text(20),
                UtmContent = Text(21),
                LandingPage = Text(22),
                TimeZone = r.GetString(23),
                PhoneCountry = r.GetString(24),
            });
        }

        return calls;
    }
}
