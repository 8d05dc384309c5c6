using System.Text.Json.Nodes;
using CallTracking.Engine.Storage;
using Npgsql;

namespace CallTracking.Engine.Transcription;

/// <summary>
/// Applies an organisation's enabled keyword rules to a call's transcript, inside the caller's transaction: each
/// rule that matches and has not been applied to the call before adds its tag, score delta and value to the call and
/// writes one <c>call.tagged</c> event. Applying twice (a retried job) changes nothing the second time.
/// </summary>
public static class KeywordRules
{
    /// <summary>Evaluates the rules against the call's latest ready transcript as stored; returns the rules applied.</summary>
    public static Task<IReadOnlyList<KeywordRule>> EvaluateStoredAsync(CallRecordStore store, Guid callId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.WriteAsync(
            async (connection, transaction, events) =>
            {
                Guid organisationId;
                await using (var call = new NpgsqlCommand("SELECT organisation_id FROM calls WHERE id = $1", connection, transaction))
                {
                    call.Parameters.Add(new() { Value = callId });
                    organisationId = await call.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as Guid?
                        ?? throw new InvalidOperationException($"call {callId} does not exist");
                }

                var segments = new List<TranscriptSegment>();
                await using (var read = new NpgsqlCommand(
                    """
                    SELECT s.speaker, s.start_ms, s.end_ms, s.text, s.confidence FROM transcript_segments s
                    WHERE s.transcript_id = (SELECT id FROM transcripts WHERE call_id = $1 AND status = 'ready' ORDER BY created_at DESC LIMIT 1)
                    ORDER BY s.start_ms, s.id
                    """,
                    connection,
                    transaction))
                {
                    read.Parameters.Add(new() { Value = callId });
                    var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            segments.Add(new TranscriptSegment(
                                reader.GetString(0) == "caller" ? Speaker.Caller : Speaker.Business,
                                reader.GetInt64(1),
                                reader.GetInt64(2),
                                reader.GetString(3),
                                reader.GetFloat(4)));
                        }
                    }
                }

                return await ApplyAsync(connection, transaction, events, organisationId, callId, segments, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <summary>Applies the organisation's rules to <paramref name="segments"/> in the given transaction; returns the rules applied now.</summary>
    public static async Task<IReadOnlyList<KeywordRule>> ApplyAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        OutboxEvents events,
        Guid organisationId,
        Guid callId,
        IReadOnlyList<TranscriptSegment> segments,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var applied = new List<KeywordRule>();
        foreach (var rule in await LoadAsync(connection, transaction, organisationId, enabledOnly: true, cancellationToken).ConfigureAwait(false))
        {
            var matched = KeywordMatcher.Match(rule, segments);
            if (matched is null)
            {
                continue;
            }

            await using (var once = new NpgsqlCommand("INSERT INTO call_rule_applications (call_id, rule_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection, transaction))
            {
                once.Parameters.Add(new() { Value = callId });
                once.Parameters.Add(new() { Value = rule.Id });
                if (await once.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    continue;
                }
            }

            if (rule.Tag is not null)
            {
                await using var tag = new NpgsqlCommand("INSERT INTO call_tags (call_id, tag, rule_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", connection, transaction);
                tag.Parameters.Add(new() { Value = callId });
                tag.Parameters.Add(new() { Value = rule.Tag });
                tag.Parameters.Add(new() { Value = rule.Id });
                await tag.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            int score;
            await using (var update = new NpgsqlCommand("UPDATE calls SET score = score + $2, value = coalesce($3, value) WHERE id = $1 RETURNING score", connection, transaction))
            {
                update.Parameters.Add(new() { Value = callId });
                update.Parameters.Add(new() { Value = rule.ScoreDelta });
                update.Parameters.Add(new() { Value = rule.Value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric });
                score = (int)(await update.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            var payload = new JsonObject
            {
                ["callId"] = callId,
                ["ruleId"] = rule.Id,
                ["rule"] = rule.Name,
                ["tag"] = rule.Tag,
                ["scoreDelta"] = rule.ScoreDelta,
                ["score"] = score,
                ["value"] = rule.Value,
                ["speaker"] = rule.Speaker is { } speaker ? TranscriptSegment.SpeakerText(speaker) : null,
                ["matched"] = matched,
            };
            await events(organisationId, callId, CallEventKinds.Tagged, payload.ToJsonString(), cancellationToken).ConfigureAwait(false);
            applied.Add(rule);
        }

        return applied;
    }

    /// <summary>The organisation's rules by name.</summary>
    public static async Task<IReadOnlyList<KeywordRule>> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid organisationId, bool enabledOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rules = new List<KeywordRule>();
        await using var command = new NpgsqlCommand(
            "SELECT id, name, pattern, is_regex, speaker, tag, score_delta, value FROM keyword_rules WHERE organisation_id = $1 AND (enabled OR NOT $2) ORDER BY name",
            connection,
            transaction);
        command.Parameters.Add(new() { Value = organisationId });
        command.Parameters.Add(new() { Value = enabledOnly });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rules.Add(new KeywordRule(reader.GetGuid(0), organisationId, reader.GetString(1), reader.GetString(2), reader.GetBoolean(3))
                {
                    Speaker = reader.IsDBNull(4) ? null : reader.GetString(4) == "caller" ? Speaker.Caller : Speaker.Business,
                    Tag = reader.IsDBNull(5) ? null : reader.GetString(5),
                    ScoreDelta = reader.GetInt32(6),
                    Value = reader.IsDBNull(7) ? null : reader.GetDecimal(7),
                });
            }
        }

        return rules;
    }
}
