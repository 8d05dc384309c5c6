using System.Globalization;
using CallTracking.Engine.Configuration;
using Npgsql;
using NpgsqlTypes;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    public const int DefaultCallPageSize = 50;
    public const int MaximumCallPageSize = 200;

    private const string CallColumns = """
        c.id, c.organisation_id, c.tracking_number_id, c.tracking_number, c.campaign_id, c.trunk, c.sip_call_id, c.twilio_call_sid,
        c.caller_number, c.caller_name, c.caller_country, c.caller_region, c.started_at, c.answered_at, c.ended_at,
        c.ring_seconds, c.talk_seconds, c.disposition, c.hangup_by, c.sip_reason, c.packets_lost, c.jitter_ms, c.mos,
        exists (select 1 from recordings r where r.call_id = c.id and r.path is not null and r.error is null)
        """;

    private static readonly string[] Dispositions = ["answered", "no-answer", "busy", "failed", "voicemail", "abandoned", "in-progress"];

    private static void MapCalls(RouteGroupBuilder v1)
    {
        v1.MapGet("/calls", ListCallsAsync);
        v1.MapGet("/calls/{id:guid}", GetCallAsync);
        v1.MapGet("/calls/{id:guid}/events", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            if (await FindCallAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is null)
            {
                return ApiProblems.NotFound("No such call.");
            }

            return TypedResults.Ok(new ResourceList<CallEventResource>(await db.ListAsync(
                "select id, kind, occurred_at, payload::text from events where call_id = $1 and organisation_id = any($2) order by id",
                r => new CallEventResource(r.GetInt64(0), r.GetString(1), Time(r, 2), ParseJson(r.GetString(3))),
                ct, Uuid(id), Scope(context.Principal())).ConfigureAwait(false)));
        });
        v1.MapGet("/calls/{id:guid}/recording", GetRecordingAsync);
    }

    /// <summary>
    /// <c>GET /v1/calls?from=&amp;to=&amp;number=&amp;campaign=&amp;disposition=&amp;limit=&amp;page_token=</c>:
    /// newest first; <c>from</c> inclusive and <c>to</c> exclusive on the start time (ISO 8601);
    /// <c>disposition=in-progress</c> selects calls not yet ended.
    /// </summary>
    private static async Task<IResult> ListCallsAsync(HttpContext context, ApiDatabase db, CancellationToken ct)
    {
        var query = context.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var from = QueryTime(query, "from", errors);
        var to = QueryTime(query, "to", errors);
        var number = query["number"].ToString() is { Length: > 0 } n ? n : null;
        Guid? campaign = null;
        if (query["campaign"].ToString() is { Length: > 0 } c)
        {
            if (Guid.TryParse(c, out var campaignId))
            {
                campaign = campaignId;
            }
            else
            {
                errors["campaign"] = ["must be a campaign id (UUID)"];
            }
        }

        var disposition = query["disposition"].ToString() is { Length: > 0 } d ? d : null;
        if (disposition is not null && !Dispositions.Contains(disposition, StringComparer.Ordinal))
        {
            errors["disposition"] = [$"must be one of {string.Join(", ", Dispositions)}"];
        }

        var limit = DefaultCallPageSize;
        if (query["limit"].ToString() is { Length: > 0 } l
            && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaximumCallPageSize))
        {
            errors["limit"] = [$"must be a whole number from 1 to {MaximumCallPageSize}"];
        }

        DateTimeOffset? afterTime = null;
        Guid? afterId = null;
        if (query["page_token"].ToString() is { Length: > 0 } token)
        {
            if (CallPageToken.TryDecode(token, out var time, out var id))
            {
                afterTime = time;
                afterId = id;
            }
            else
            {
                errors["page_token"] = ["is not a page token this API issued"];
            }
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        // One more than the page, to know whether there is a next page.
        var calls = await db.ListAsync(
            $"""
            select {CallColumns} from calls c
            where c.organisation_id = any($1)
              and ($2::timestamptz is null or c.started_at >= $2)
              and ($3::timestamptz is null or c.started_at < $3)
              and ($4::text is null or c.tracking_number = $4)
              and ($5::uuid is null or c.campaign_id = $5)
              and ($6::text is null or ($6 = 'in-progress' and c.disposition is null) or c.disposition = $6)
              and ($7::timestamptz is null or (c.started_at, c.id) < ($7, $8))
            order by c.started_at desc, c.id desc
            limit $9
            """,
            ReadCall, ct,
            Scope(context.Principal()),
            P(from, NpgsqlDbType.TimestampTz),
            P(to, NpgsqlDbType.TimestampTz),
            Text(number),
            Uuid(campaign),
            Text(disposition),
            P(afterTime, NpgsqlDbType.TimestampTz),
            Uuid(afterId),
            P(limit + 1, NpgsqlDbType.Integer)).ConfigureAwait(false);

        string? next = null;
        if (calls.Count > limit)
        {
            calls.RemoveAt(limit);
            next = CallPageToken.Encode(calls[^1].StartedAt, calls[^1].Id);
        }

        return TypedResults.Ok(new CallPage(calls, next));
    }

    private static async Task<IResult> GetCallAsync(Guid id, HttpContext context, ApiDatabase db, CancellationToken ct)
    {
        if (await FindCallAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is not { } call)
        {
            return ApiProblems.NotFound("No such call.");
        }

        var legs = await db.ListAsync(
            "select id, direction, destination, trunk, sip_call_id, started_at, answered_at, ended_at, final_status, reason from call_legs where call_id = $1 order by started_at, id",
            r => new CallLegResource(
                r.GetGuid(0), r.GetString(1), NullableText(r, 2), NullableText(r, 3), NullableText(r, 4),
                Time(r, 5), NullableTime(r, 6), NullableTime(r, 7), r.IsDBNull(8) ? null : r.GetInt32(8), NullableText(r, 9)),
            ct, Uuid(id)).ConfigureAwait(false);
        return TypedResults.Ok(call with { Legs = legs });
    }

    /// <summary>The call's recording (Ogg Opus) as a download; Range requests are honoured so players can seek.</summary>
    private static async Task<IResult> GetRecordingAsync(Guid id, HttpContext context, ApiDatabase db, EngineSettings settings, CancellationToken ct)
    {
        if (await FindCallAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is null)
        {
            return ApiProblems.NotFound("No such call.");
        }

        var paths = await db.ListAsync(
            "select path from recordings where call_id = $1 and path is not null and error is null order by created_at desc, id desc limit 1",
            r => r.GetString(0), ct, Uuid(id)).ConfigureAwait(false);
        var path = paths.Count == 0 ? null : Path.GetFullPath(paths[0], settings.DataPath);
        if (path is null || !File.Exists(path))
        {
            return ApiProblems.NotFound("This call has no recording.");
        }

        return TypedResults.PhysicalFile(path, "audio/ogg", $"call-{id}.ogg", enableRangeProcessing: true);
    }

    private static Task<CallResource?> FindCallAsync(ApiDatabase db, Guid id, ApiPrincipal principal, CancellationToken ct) =>
        db.SingleAsync($"select {CallColumns} from calls c where c.id = $1 and c.organisation_id = any($2)", ReadCall, ct, Uuid(id), Scope(principal));

    private static DateTimeOffset? QueryTime(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        errors[name] = ["must be an ISO 8601 date and time, e.g. 2026-01-31T00:00:00Z"];
        return null;
    }

    private static CallResource ReadCall(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), NullableGuid(r, 2), r.GetString(3), NullableGuid(r, 4), NullableText(r, 5), r.GetString(6), NullableText(r, 7),
        NullableText(r, 8), NullableText(r, 9), NullableText(r, 10), NullableText(r, 11), Time(r, 12), NullableTime(r, 13), NullableTime(r, 14),
        r.IsDBNull(15) ? null : r.GetDecimal(15), r.IsDBNull(16) ? null : r.GetDecimal(16), NullableText(r, 17), NullableText(r, 18), NullableText(r, 19),
        r.IsDBNull(20) ? null : r.GetInt64(20), r.IsDBNull(21) ? null : r.GetDouble(21), r.IsDBNull(22) ? null : r.GetDouble(22), r.GetBoolean(23));
}
