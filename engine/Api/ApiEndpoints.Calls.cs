using System.Globalization;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    public const int DefaultCallPageSize = 50;
    public const int MaximumCallPageSize = 200;

    private static void MapCalls(RouteGroupBuilder v1)
    {
        v1.MapGet("/calls", ListCallsAsync);
        v1.MapGet("/calls/{id:guid}", GetCallAsync);
        v1.MapGet("/calls/{id:guid}/events", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CallQueries calls, CancellationToken ct) =>
        {
            if (await calls.FindAsync(id, context.Principal(), ct).ConfigureAwait(false) is null)
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
    private static async Task<IResult> ListCallsAsync(HttpContext context, CallQueries calls, CancellationToken ct)
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
        if (disposition is not null && !CallQueries.Dispositions.Contains(disposition, StringComparer.Ordinal))
        {
            errors["disposition"] = [$"must be one of {string.Join(", ", CallQueries.Dispositions)}"];
        }

        // Caller number or name, or words of the transcript (web-search syntax: "a phrase", or, -word).
        var text = query["q"].ToString() is { Length: > 0 } q ? q.Trim() : null;
        if (text is { Length: > 200 })
        {
            errors["q"] = ["must be at most 200 characters"];
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

        var (page, next) = await calls.ListAsync(
            new CallListQuery(from, to, number, campaign, disposition, text, After: afterId is { } after ? (afterTime!.Value, after) : null),
            context.Principal(),
            limit,
            ct).ConfigureAwait(false);
        return TypedResults.Ok(new CallPage(page, next));
    }

    private static async Task<IResult> GetCallAsync(Guid id, HttpContext context, CallQueries calls, CancellationToken ct)
    {
        if (await calls.FindAsync(id, context.Principal(), ct).ConfigureAwait(false) is not { } call)
        {
            return ApiProblems.NotFound("No such call.");
        }

        return TypedResults.Ok(call with { Legs = await calls.LegsAsync(id, ct).ConfigureAwait(false), Attribution = await calls.AttributionAsync(id, ct).ConfigureAwait(false) });
    }

    /// <summary>The call's recording (Ogg Opus) as a download; Range requests are honoured so players can seek.</summary>
    private static async Task<IResult> GetRecordingAsync(Guid id, HttpContext context, CallQueries calls, RecordingStore recordings, Privacy.RecordingReader reader, Privacy.IAuditSink audit, CancellationToken ct)
    {
        var principal = context.Principal();
        if (await calls.FindAsync(id, principal, ct).ConfigureAwait(false) is not { } call)
        {
            return ApiProblems.NotFound("No such call.");
        }

        // ?original=true: the unredacted recording even when a redacted copy exists, for admins only, on the audit trail.
        var original = context.Request.Query["original"].ToString() is { Length: > 0 } o && bool.TryParse(o, out var asked) && asked;
        if (original && principal.Role is not (Security.Role.OrgAdmin or Security.Role.AgencyAdmin))
        {
            await audit.RecordAsync(Privacy.AuditActions.AccessDenied, call.OrganisationId, principal.Actor, "call:" + id.ToString("D"), new System.Text.Json.Nodes.JsonObject { ["action"] = Privacy.AuditActions.RecordingOriginalDownload }, ct).ConfigureAwait(false);
            return TypedResults.Problem("Only an admin may download the original of a redacted recording.", statusCode: StatusCodes.Status403Forbidden);
        }

        var recording = await recordings.FindAsync(id, ct, original).ConfigureAwait(false);
        if (recording is not null && IsNewPlayback(context.Request))
        {
            var action = original ? Privacy.AuditActions.RecordingOriginalDownload : Privacy.AuditActions.RecordingDownload;
            await audit.RecordAsync(action, call.OrganisationId, principal.Actor, "call:" + id.ToString("D"), null, ct).ConfigureAwait(false);
        }

        return await RecordingDownloadAsync(recording, reader, ct).ConfigureAwait(false);
    }

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
}
