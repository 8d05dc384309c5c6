using System.Security.Cryptography;
using CallTracking.Engine.Webhooks;
using Npgsql;
using NpgsqlTypes;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    private const string WebhookColumns = "id, organisation_id, url, events, enabled, description, created_at, updated_at";

    /// <summary>
    /// <c>/v1/webhooks</c>: endpoints of the key's organisations. POST takes <c>url</c> (http/https), optional
    /// <c>events</c> (subset of <see cref="WebhookEventTypes.All"/>; empty or absent: all), <c>enabled</c>,
    /// <c>description</c>, <c>secret</c> (generated when absent) and answers with the secret, shown only then.
    /// <c>/v1/webhooks/{id}/deliveries</c> is the endpoint's delivery log, newest first.
    /// </summary>
    private static void MapWebhooks(RouteGroupBuilder v1)
    {
        v1.MapGet("/webhooks", async (HttpContext context, ApiDatabase db, CancellationToken ct) =>
            TypedResults.Ok(new ResourceList<WebhookResource>(await db.ListAsync(
                $"select {WebhookColumns} from webhook_endpoints where organisation_id = any($1) order by created_at, id", r => ReadWebhook(r, null), ct, Scope(context.Principal())).ConfigureAwait(false))));

        v1.MapGet("/webhooks/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await FindWebhookAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is { } webhook ? TypedResults.Ok(webhook) : ApiProblems.NotFound("No such webhook."));

        v1.MapPost("/webhooks", async Task<IResult> (HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
            if (body is null)
            {
                return problem!;
            }

            var organisation = OwnerOf(body, context.Principal());
            var url = WebhookUrl(body, required: true);
            var events = WebhookEvents(body) ?? [];
            var secret = body.Text("secret", required: false) ?? "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            if (secret.Length < 16)
            {
                body.Error("secret", "must be at least 16 characters");
            }

            if (body.Errors.Count > 0)
            {
                return ApiProblems.Invalid(body.Errors);
            }

            var created = await db.SingleAsync(
                $"insert into webhook_endpoints (organisation_id, url, secret, events, enabled, description) values ($1, $2, $3, $4, $5, $6) returning {WebhookColumns}",
                r => ReadWebhook(r, secret), ct, Uuid(organisation), Text(url), Text(secret), P(events, NpgsqlDbType.Array | NpgsqlDbType.Text),
                P(body.Bool("enabled") ?? true, NpgsqlDbType.Boolean), Text(body.Text("description", required: false))).ConfigureAwait(false);
            return TypedResults.Created($"/v1/webhooks/{created!.Id}", created);
        });

        v1.MapPatch("/webhooks/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
            if (body is null)
            {
                return problem!;
            }

            if (await FindWebhookAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is not { } existing)
            {
                return ApiProblems.NotFound("No such webhook.");
            }

            var url = body.Has("url") ? WebhookUrl(body, required: true) : existing.Url;
            var events = body.Has("events") ? WebhookEvents(body) ?? [] : [.. existing.Events];
            var enabled = body.Has("enabled") ? body.Bool("enabled") ?? existing.Enabled : existing.Enabled;
            var description = body.Has("description") ? body.Text("description", required: false) : existing.Description;
            if (body.Errors.Count > 0)
            {
                return ApiProblems.Invalid(body.Errors);
            }

            var updated = await db.SingleAsync(
                $"update webhook_endpoints set url = $2, events = $3, enabled = $4, description = $5, updated_at = now() where id = $1 returning {WebhookColumns}",
                r => ReadWebhook(r, null), ct, Uuid(id), Text(url), P(events, NpgsqlDbType.Array | NpgsqlDbType.Text), P(enabled, NpgsqlDbType.Boolean), Text(description)).ConfigureAwait(false);
            return updated is null ? ApiProblems.NotFound("No such webhook.") : TypedResults.Ok(updated);
        });

        v1.MapDelete("/webhooks/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await db.ExecuteAsync("delete from webhook_endpoints where id = $1 and organisation_id = any($2)", ct, Uuid(id), Scope(context.Principal())).ConfigureAwait(false) == 0
                ? ApiProblems.NotFound("No such webhook.")
                : TypedResults.NoContent());

        v1.MapGet("/webhooks/{id:guid}/deliveries", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await FindWebhookAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is null
                ? ApiProblems.NotFound("No such webhook.")
                : TypedResults.Ok(new ResourceList<DeliveryResource>(await db.ListAsync(
                    $"select {DeliveryColumns} from outbound_deliveries where webhook_id = $1 order by created_at desc, id limit 500", ReadDelivery, ct, Uuid(id)).ConfigureAwait(false))));
    }

    private static string? WebhookUrl(ApiRequestBody body, bool required)
    {
        var url = body.Text("url", required);
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            body.Error("url", "must be an absolute http or https URL");
        }

        return url;
    }

    private static string[]? WebhookEvents(ApiRequestBody body)
    {
        var events = body.TextList("events");
        foreach (var type in events ?? [])
        {
            if (!WebhookEventTypes.IsKnown(type))
            {
                body.Error("events", $"unknown event type {type}; known: {string.Join(", ", WebhookEventTypes.All)}");
            }
        }

        return events;
    }

    private static Task<WebhookResource?> FindWebhookAsync(ApiDatabase db, Guid id, ApiPrincipal principal, CancellationToken ct) =>
        db.SingleAsync($"select {WebhookColumns} from webhook_endpoints where id = $1 and organisation_id = any($2)", r => ReadWebhook(r, null), ct, Uuid(id), Scope(principal));

    private static WebhookResource ReadWebhook(NpgsqlDataReader r, string? secret) =>
        new(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetFieldValue<string[]>(3), r.GetBoolean(4), NullableText(r, 5), secret, Time(r, 6), Time(r, 7));
}
