using System.Globalization;
using System.Text.Json.Nodes;
using CallTracking.Engine.Calls.Control;
using CallTracking.Engine.Privacy;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    /// <summary>
    /// The transcript (a view, on the audit trail), pausing and resuming a live call's recording (PCI), and the
    /// audit trail for admins. Who may call which is <see cref="Security.AccessPolicy"/>.
    /// </summary>
    private static void MapAccessControl(RouteGroupBuilder v1)
    {
        v1.MapGet("/calls/{id:guid}/transcript", async Task<IResult> (Guid id, HttpContext context, CallQueries calls, ApiDatabase db, IAuditSink audit, CancellationToken ct) =>
        {
            var principal = context.Principal();
            if (await calls.FindAsync(id, principal, ct).ConfigureAwait(false) is not { } call)
            {
                return ApiProblems.NotFound("No such call.");
            }

            await audit.RecordAsync(AuditActions.TranscriptView, call.OrganisationId, principal.Actor, "call:" + id.ToString("D"), new JsonObject { ["via"] = "rest" }, ct).ConfigureAwait(false);
            var stored = (await db.ListAsync(
                "select id, status, language, error from transcripts where call_id = $1 order by created_at desc limit 1",
                r => (Id: r.GetGuid(0), Status: r.GetString(1), Language: NullableText(r, 2), Error: NullableText(r, 3)),
                ct,
                Uuid(id)).ConfigureAwait(false)).FirstOrDefault();
            var segments = stored.Id == Guid.Empty
                ? []
                : await db.ListAsync(
                    "select speaker, start_ms, end_ms, text from transcript_segments where transcript_id = $1 order by start_ms, end_ms, speaker",
                    r => new JsonObject { ["speaker"] = r.GetString(0), ["start_ms"] = r.GetInt64(1), ["end_ms"] = r.GetInt64(2), ["text"] = r.GetString(3) },
                    ct,
                    Uuid(stored.Id)).ConfigureAwait(false);
            return TypedResults.Text(
                new JsonObject
                {
                    ["call_id"] = id.ToString("D"),
                    ["status"] = stored.Id == Guid.Empty ? "none" : stored.Status == "ready" ? "done" : "failed",
                    ["language"] = stored.Language,
                    ["error"] = stored.Error,
                    ["segments"] = new JsonArray([.. segments]),
                }.ToJsonString(),
                "application/json");
        });

        v1.MapPost("/calls/{id:guid}/recording/pause", (Guid id, HttpContext context, CallQueries calls, IRecordingPauseControl pauses, CancellationToken ct) => SetPausedAsync(id, true, context, calls, pauses, ct));
        v1.MapPost("/calls/{id:guid}/recording/resume", (Guid id, HttpContext context, CallQueries calls, IRecordingPauseControl pauses, CancellationToken ct) => SetPausedAsync(id, false, context, calls, pauses, ct));

        // GET /v1/audit?after=SEQ&limit=N&action=NAME: the entries of the organisations the caller sees, in order.
        v1.MapGet("/audit", async Task<IResult> (HttpContext context, AuditTrail trail, CancellationToken ct) =>
        {
            var query = context.Request.Query;
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            long after = 0;
            if (query["after"].ToString() is { Length: > 0 } a && (!long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
            {
                errors["after"] = ["must be a sequence number"];
            }

            var limit = 100;
            if (query["limit"].ToString() is { Length: > 0 } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
            {
                errors["limit"] = ["must be a whole number from 1 to 1000"];
            }

            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(errors);
            }

            var entries = await trail.ListAsync(context.Principal().VisibleOrganisations, after, limit, query["action"].ToString() is { Length: > 0 } action ? action : null, ct).ConfigureAwait(false);
            var items = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject
            {
                ["seq"] = e.Sequence,
                ["occurred_at"] = e.OccurredAt,
                ["actor"] = e.Actor,
                ["organisation_id"] = e.OrganisationId?.ToString("D"),
                ["action"] = e.Action,
                ["subject"] = e.Subject,
                ["details"] = e.Details is null ? null : JsonNode.Parse(e.Details),
                ["hash"] = Convert.ToHexStringLower(e.Hash),
            })]);
            return TypedResults.Text(new JsonObject { ["items"] = items }.ToJsonString(), "application/json");
        });
    }

    private static async Task<IResult> SetPausedAsync(Guid id, bool paused, HttpContext context, CallQueries calls, IRecordingPauseControl pauses, CancellationToken ct)
    {
        var principal = context.Principal();
        if (await calls.FindAsync(id, principal, ct).ConfigureAwait(false) is null)
        {
            return ApiProblems.NotFound("No such call.");
        }

        return await pauses.SetRecordingPausedAsync(id, paused, principal.Actor, ct).ConfigureAwait(false) switch
        {
            RecordingPauseResult.NotLive => ApiProblems.Conflict("This call is not live on this engine node; only a live call's recording can be paused or resumed."),
            var result => TypedResults.Text(new JsonObject { ["changed"] = result == RecordingPauseResult.Changed, ["paused"] = paused }.ToJsonString(), "application/json"),
        };
    }
}
