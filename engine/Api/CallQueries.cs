using Npgsql;
using NpgsqlTypes;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

/// <summary>
/// The call reads both APIs serve (REST <c>/v1/calls</c> and gRPC <c>calltracking.v1.Calls</c>), scoped to the
/// organisations a principal may see: a call outside the scope is absent, exactly like one that does not exist.
/// Listings are newest first and paged by <see cref="CallPageToken"/>.
/// </summary>
public sealed class CallQueries
{
    /// <summary>The dispositions a listing filters by: the stored ones and <c>in-progress</c> (not ended).</summary>
    public static readonly IReadOnlyList<string> Dispositions = ["answered", "no-answer", "busy", "failed", "voicemail", "abandoned", "in-progress"];

    private const string CallColumns = """
        c.id, c.organisation_id, c.tracking_number_id, c.tracking_number, c.campaign_id, c.trunk, c.sip_call_id, c.twilio_call_sid,
        c.caller_number, c.caller_name, c.caller_country, c.caller_region, c.started_at, c.answered_at, c.ended_at,
        c.ring_seconds, c.talk_seconds, c.disposition, c.hangup_by, c.sip_reason, c.packets_lost, c.jitter_ms, c.mos,
        exists (select 1 from recordings r where r.call_id = c.id and r.path is not null and r.error is null)
        """;

    private readonly ApiDatabase _db;

    public CallQueries(ApiDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
    }

    /// <summary>
    /// An agent's own calls (<see cref="ApiPrincipal.OwnCallsDestination"/>): a leg to their destination was
    /// answered, i.e. the call was bridged to them. Null: no restriction.
    /// </summary>
    private const string OwnCallsPredicate = "exists (select 1 from call_legs l where l.call_id = c.id and l.destination = {0} and l.answered_at is not null)";

    public Task<CallResource?> FindAsync(Guid id, IReadOnlyList<Guid> scope, CancellationToken cancellationToken) =>
        _db.SingleAsync($"select {CallColumns} from calls c where c.id = $1 and c.organisation_id = any($2)", ReadCall, cancellationToken, Uuid(id), ScopeParameter(scope));

    /// <summary>The call if <paramref name="principal"/> may see it: in its organisations and, for an agent, one of their own.</summary>
    public Task<CallResource?> FindAsync(Guid id, ApiPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return _db.SingleAsync(
            $"select {CallColumns} from calls c where c.id = $1 and c.organisation_id = any($2) and ($3::text is null or {string.Format(System.Globalization.CultureInfo.InvariantCulture, OwnCallsPredicate, "$3")})",
            ReadCall, cancellationToken, Uuid(id), ScopeParameter(principal.VisibleOrganisations), Text(principal.OwnCallsDestination));
    }

    /// <summary>A page of the calls <paramref name="principal"/> may see (an agent: only their own).</summary>
    public Task<(List<CallResource> Calls, string? NextPageToken)> ListAsync(CallListQuery query, ApiPrincipal principal, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return ListAsync(query, principal.VisibleOrganisations, limit, cancellationToken, principal.OwnCallsDestination);
    }

    /// <summary>
    /// One page of calls and the token of the next (null on the last page): newest first, strictly after
    /// <see cref="CallListQuery.After"/> in (started_at desc, id desc) order.
    /// </summary>
    public async Task<(List<CallResource> Calls, string? NextPageToken)> ListAsync(CallListQuery query, IReadOnlyList<Guid> scope, int limit, CancellationToken cancellationToken, string? ownCallsDestination = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        // One more than the page, to know whether there is a next page.
        var calls = await _db.ListAsync(
            $"""
            select {CallColumns} from calls c
            where c.organisation_id = any($1)
              and ($2::timestamptz is null or c.started_at >= $2)
              and ($3::timestamptz is null or c.started_at < $3)
              and ($4::text is null or c.tracking_number = $4)
              and ($5::uuid is null or c.campaign_id = $5)
              and ($6::text is null or ($6 = 'in-progress' and c.disposition is null) or c.disposition = $6)
              and ($7::timestamptz is null or (c.started_at, c.id) < ($7, $8))
              and ($10::text is null or strpos(lower(c.caller_number), lower($10)) > 0 or strpos(lower(c.caller_name), lower($10)) > 0
                   or {Transcription.TranscriptSearch.Predicate("c.id", "$10")})
              and ($11::text is null or {string.Format(System.Globalization.CultureInfo.InvariantCulture, OwnCallsPredicate, "$11")})
            order by c.started_at desc, c.id desc
            limit $9
            """,
            ReadCall,
            cancellationToken,
            ScopeParameter(scope),
            P(query.From, NpgsqlDbType.TimestampTz),
            P(query.To, NpgsqlDbType.TimestampTz),
            Text(query.TrackingNumber),
            Uuid(query.Campaign),
            Text(query.Disposition),
            P(query.After?.StartedAt, NpgsqlDbType.TimestampTz),
            Uuid(query.After?.Id),
            P(limit + 1, NpgsqlDbType.Integer),
            Text(string.IsNullOrEmpty(query.Text) ? null : query.Text),
            Text(ownCallsDestination)).ConfigureAwait(false);

        string? next = null;
        if (calls.Count > limit)
        {
            calls.RemoveAt(limit);
            next = CallPageToken.Encode(calls[^1].StartedAt, calls[^1].Id);
        }

        return (calls, next);
    }

    /// <summary>The call's legs, oldest first (the caller has checked the call may be seen).</summary>
    public Task<List<CallLegResource>> LegsAsync(Guid callId, CancellationToken cancellationToken) =>
        _db.ListAsync(
            "select id, direction, destination, trunk, sip_call_id, started_at, answered_at, ended_at, final_status, reason from call_legs where call_id = $1 order by started_at, id",
            r => new CallLegResource(
                r.GetGuid(0), r.GetString(1), NullableText(r, 2), NullableText(r, 3), NullableText(r, 4),
                Time(r, 5), NullableTime(r, 6), NullableTime(r, 7), r.IsDBNull(8) ? null : r.GetInt32(8), NullableText(r, 9)),
            cancellationToken,
            Uuid(callId));

    /// <summary>The call's attribution (dynamic number insertion), or null (the caller has checked the call may be seen).</summary>
    public Task<CallAttributionResource?> AttributionAsync(Guid callId, CancellationToken cancellationToken) =>
        _db.SingleAsync(
            """
            select confidence, session_id, visitor_id, source_name, utm_source, utm_medium, utm_campaign, utm_term, utm_content, landing_page, referrer,
                   gclid, gbraid, wbraid, msclkid, fbclid, ga_client_id, ga_session_id, attributed_at
            from call_attributions where call_id = $1
            """,
            r => new CallAttributionResource(
                r.GetString(0), NullableGuid(r, 1), NullableText(r, 2), NullableText(r, 3), NullableText(r, 4), NullableText(r, 5), NullableText(r, 6), NullableText(r, 7),
                NullableText(r, 8), NullableText(r, 9), NullableText(r, 10), NullableText(r, 11), NullableText(r, 12), NullableText(r, 13), NullableText(r, 14),
                NullableText(r, 15), NullableText(r, 16), NullableText(r, 17), Time(r, 18)),
            cancellationToken,
            Uuid(callId));

    private static NpgsqlParameter ScopeParameter(IReadOnlyList<Guid> scope) => P(scope.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid);

    private static CallResource ReadCall(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), NullableGuid(r, 2), r.GetString(3), NullableGuid(r, 4), NullableText(r, 5), r.GetString(6), NullableText(r, 7),
        NullableText(r, 8), NullableText(r, 9), NullableText(r, 10), NullableText(r, 11), Time(r, 12), NullableTime(r, 13), NullableTime(r, 14),
        r.IsDBNull(15) ? null : r.GetDecimal(15), r.IsDBNull(16) ? null : r.GetDecimal(16), NullableText(r, 17), NullableText(r, 18), NullableText(r, 19),
        r.IsDBNull(20) ? null : r.GetInt64(20), r.IsDBNull(21) ? null : r.GetDouble(21), r.IsDBNull(22) ? null : r.GetDouble(22), r.GetBoolean(23));
}
