using CallTracking.Engine.Outbound;
using Npgsql;
using NpgsqlTypes;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    private const string DeliveryColumns =
        "id, organisation_id, kind, webhook_id, conversion_action_id, call_id, event_id, event_type, url, status, attempts, max_attempts, " +
        "next_attempt_at, last_status_code, last_error, remote_reason, replay_of, created_at, updated_at, completed_at";

    /// <summary>
    /// <c>/v1/deliveries</c>: every outbound delivery of the key's organisations, newest first (filters <c>kind</c>,
    /// <c>status</c>, <c>call_id</c>); <c>/v1/deliveries/{id}</c> with its body and attempt log;
    /// <c>POST /v1/deliveries/{id}/replay</c> queues it again as a new delivery (202 with the new one);
    /// <c>/v1/deliveries/status</c> counts them by kind and status.
    /// </summary>
    private static void MapDeliveries(RouteGroupBuilder v1)
    {
        v1.MapGet("/deliveries", async (HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            var query = context.Request.Query;
            Guid? call = Guid.TryParse(query["call_id"], out var callId) ? callId : null;
            return TypedResults.Ok(new ResourceList<DeliveryResource>(await db.ListAsync(
                $"""
                select {DeliveryColumns} from outbound_deliveries
                where organisation_id = any($1) and ($2::text is null or kind = $2) and ($3::text is null or status = $3) and ($4::uuid is null or call_id = $4)
                order by created_at desc, id limit 500
                """,
                ReadDelivery, ct, Scope(context.Principal()), Text(query["kind"].FirstOrDefault()), Text(query["status"].FirstOrDefault()), Uuid(call)).ConfigureAwait(false)));
        });

        v1.MapGet("/deliveries/status", async (HttpContext context, ApiDatabase db, CancellationToken ct) =>
            TypedResults.Ok(new ResourceList<DeliveryCountResource>(await db.ListAsync(
                "select kind, status, count(*) from outbound_deliveries where organisation_id = any($1) group by kind, status order by kind, status",
                r => new DeliveryCountResource(r.GetString(0), r.GetString(1), r.GetInt64(2)), ct, Scope(context.Principal())).ConfigureAwait(false))));

        v1.MapGet("/deliveries/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await FindDeliveryAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is { } delivery ? TypedResults.Ok(delivery) : ApiProblems.NotFound("No such delivery."));

        v1.MapPost("/deliveries/{id:guid}/replay", async Task<IResult> (Guid id, HttpContext context, NpgsqlDataSource dataSource, OutboundOptions options, DeliverySignal signal, TimeProvider time, ApiDatabase db, CancellationToken ct) =>
        {
            var principal = context.Principal();
            var replay = await new OutboxStore(dataSource).ReplayAsync(id, principal.Scope, options.MaxAttempts, time.GetUtcNow(), ct).ConfigureAwait(false);
            if (replay is not { } replayId)
            {
                return ApiProblems.NotFound("No such delivery (or it was never built, so there is nothing to send again).");
            }

            signal.Wake();
            var created = await FindDeliveryAsync(db, replayId, principal, ct).ConfigureAwait(false);
            return TypedResults.Accepted($"/v1/deliveries/{replayId}", created);
        });
    }

    private static async Task<DeliveryResource?> FindDeliveryAsync(ApiDatabase db, Guid id, ApiPrincipal principal, CancellationToken ct)
    {
        var delivery = await db.SingleAsync(
            $"select {DeliveryColumns}, body from outbound_deliveries where id = $1 and organisation_id = any($2)",
            r => ReadDelivery(r) with { Body = r.GetString(20) }, ct, Uuid(id), Scope(principal)).ConfigureAwait(false);
        if (delivery is null)
        {
            return null;
        }

        var log = await db.ListAsync(
            "select attempt, engine, started_at, finished_at, status_code, error, response from outbound_attempts where delivery_id = $1 order by attempt, id",
            r => new DeliveryAttemptResource(r.GetInt32(0), r.GetString(1), Time(r, 2), Time(r, 3), r.IsDBNull(4) ? null : r.GetInt32(4), NullableText(r, 5), NullableText(r, 6)),
            ct,
            Uuid(id)).ConfigureAwait(false);
        return delivery with { AttemptLog = log };
    }

    private static DeliveryResource ReadDelivery(NpgsqlDataReader r)
    {
        var status = r.GetString(9);
        var attempts = r.GetInt32(10);
        var pending = status is DeliveryStatus.Queued or DeliveryStatus.Sending;
        return new DeliveryResource(
            r.GetGuid(0),
            r.GetGuid(1),
            r.GetString(2),
            NullableGuid(r, 3),
            NullableGuid(r, 4),
            NullableGuid(r, 5),
            r.IsDBNull(6) ? null : r.GetInt64(6),
            r.GetString(7),
            r.GetString(8),
            status,
            attempts,
            pending ? Math.Max(0, r.GetInt32(11) - attempts) : 0,
            pending ? Time(r, 12) : null,
            r.IsDBNull(13) ? null : r.GetInt32(13),
            NullableText(r, 14),
            NullableText(r, 15),
            NullableGuid(r, 16),
            Time(r, 17),
            Time(r, 18),
            NullableTime(r, 19),
            null,
            null);
    }

    private static NpgsqlParameter Bool(bool value) => P(value, NpgsqlDbType.Boolean);
}
