using System.Globalization;
using CallTracking.Engine.Tracking.Conversions;
using Npgsql;
using NpgsqlTypes;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    /// <summary>
    /// <c>/v1/conversion-actions</c>: create (POST: <c>name</c>, <c>platform</c> one of google_ads/ga4/meta/microsoft_ads,
    /// <c>conversion_name</c>, <c>min_talk_seconds</c>, <c>required_tag</c>, <c>min_score</c>, <c>value</c>, <c>currency</c>,
    /// <c>send</c>, <c>settings</c> object, <c>enabled</c>), list, get, PATCH (members given change), delete; and
    /// <c>GET /v1/conversion-actions/{id}/export.csv?from=&amp;to=</c>, the platform's import file of the qualifying
    /// calls that started in [from, to) (ISO 8601; default the last 30 days), in the organisation's time zone.
    /// </summary>
    private static void MapConversionActions(RouteGroupBuilder v1)
    {
        v1.MapGet("/conversion-actions", async (HttpContext context, ApiDatabase db, CancellationToken ct) =>
            TypedResults.Ok(new ResourceList<ConversionActionResource>(await db.ListAsync(
                $"select {ConversionStore.ActionColumns} from conversion_actions where organisation_id = any($1) order by name, id",
                r => ToResource(ConversionStore.ReadAction(r)), ct, Scope(context.Principal())).ConfigureAwait(false))));

        v1.MapGet("/conversion-actions/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await FindActionAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is { } action ? TypedResults.Ok(ToResource(action)) : ApiProblems.NotFound("No such conversion action."));

        v1.MapPost("/conversion-actions", async Task<IResult> (HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
            if (body is null)
            {
                return problem!;
            }

            var organisation = OwnerOf(body, context.Principal());
            var name = body.Text("name", required: true);
            var platform = body.Text("platform", required: true);
            if (platform is not null && !ConversionPlatform.IsKnown(platform))
            {
                body.Error("platform", "must be one of " + string.Join(", ", ConversionPlatform.All));
            }

            var conversionName = body.Text("conversion_name", required: true);
            var minTalk = body.Decimal("min_talk_seconds") ?? 0;
            var minScore = body.Decimal("min_score");
            var currency = body.Text("currency", required: false) ?? "USD";
            if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            {
                body.Error("currency", "must be an ISO 4217 code such as USD");
            }

            var settings = body.Object("settings", required: false);
            if (body.Errors.Count > 0)
            {
                return ApiProblems.Invalid(body.Errors);
            }

            try
            {
                var created = await db.SingleAsync(
                    $"""
                    insert into conversion_actions (organisation_id, name, platform, conversion_name, min_talk_seconds, required_tag, min_score, value, currency, send, settings, enabled)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning {ConversionStore.ActionColumns}
                    """,
                    r => ToResource(ConversionStore.ReadAction(r)), ct,
                    Uuid(organisation), Text(name), Text(platform), Text(conversionName), P(minTalk, NpgsqlDbType.Numeric), Text(body.Text("required_tag", required: false)),
                    P(minScore is { } s ? (int)s : null, NpgsqlDbType.Integer), P(body.Decimal("value"), NpgsqlDbType.Numeric), Text(currency),
                    Bool(body.Bool("send") ?? false), P(settings?.GetRawText() ?? "{}", NpgsqlDbType.Jsonb), Bool(body.Bool("enabled") ?? true)).ConfigureAwait(false);
                return TypedResults.Created($"/v1/conversion-actions/{created!.Id}", created);
            }
            catch (PostgresException e) when (IsUniqueViolation(e))
            {
                return ApiProblems.Conflict($"A conversion action named \"{name}\" already exists in this organisation.");
            }
        });

        v1.MapPatch("/conversion-actions/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
            if (body is null)
            {
                return problem!;
            }

            if (await FindActionAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is not { } a)
            {
                return ApiProblems.NotFound("No such conversion action.");
            }

            // Members left out keep their values; settings, when given, replace the whole object.
            var name = body.Has("name") ? body.Text("name", required: true) : a.Name;
            var conversionName = body.Has("conversion_name") ? body.Text("conversion_name", required: true) : a.ConversionName;
            var minTalk = body.Has("min_talk_seconds") ? body.Decimal("min_talk_seconds") ?? 0 : a.MinTalkSeconds;
            var tag = body.Has("required_tag") ? body.Text("required_tag", required: false) : a.RequiredTag;
            var minScore = body.Has("min_score") ? (int?)body.Decimal("min_score") : a.MinScore;
            var value = body.Has("value") ? body.Decimal("value") : a.Value;
            var currency = body.Has("currency") ? body.Text("currency", required: true) : a.Currency;
            var send = body.Has("send") ? body.Bool("send") ?? a.Send : a.Send;
            var enabled = body.Has("enabled") ? body.Bool("enabled") ?? a.Enabled : a.Enabled;
            var settings = body.Has("settings") ? body.Object("settings", required: true)?.GetRawText() : null;
            if (body.Errors.Count > 0)
            {
                return ApiProblems.Invalid(body.Errors);
            }

            try
            {
                var updated = await db.SingleAsync(
                    $"""
                    update conversion_actions set name = $2, conversion_name = $3, min_talk_seconds = $4, required_tag = $5, min_score = $6, value = $7,
                        currency = $8, send = $9, enabled = $10, settings = coalesce($11, settings), updated_at = now()
                    where id = $1 returning {ConversionStore.ActionColumns}
                    """,
                    r => ToResource(ConversionStore.ReadAction(r)), ct,
                    Uuid(id), Text(name), Text(conversionName), P(minTalk, NpgsqlDbType.Numeric), Text(tag), P(minScore, NpgsqlDbType.Integer), P(value, NpgsqlDbType.Numeric),
                    Text(currency), Bool(send), Bool(enabled), P(settings, NpgsqlDbType.Jsonb)).ConfigureAwait(false);
                return updated is null ? ApiProblems.NotFound("No such conversion action.") : TypedResults.Ok(updated);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
            {
                return ApiProblems.BadRequest("min_talk_seconds must not be negative and currency must be an ISO 4217 code.");
            }
            catch (PostgresException e) when (IsUniqueViolation(e))
            {
                return ApiProblems.Conflict($"A conversion action named \"{name}\" already exists in this organisation.");
            }
        });

        v1.MapDelete("/conversion-actions/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await db.ExecuteAsync("delete from conversion_actions where id = $1 and organisation_id = any($2)", ct, Uuid(id), Scope(context.Principal())).ConfigureAwait(false) == 0
                ? ApiProblems.NotFound("No such conversion action.")
                : TypedResults.NoContent());

        v1.MapGet("/conversion-actions/{id:guid}/export.csv", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct) =>
        {
            if (await FindActionAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is not { } action)
            {
                return ApiProblems.NotFound("No such conversion action.");
            }

            if (!ConversionExports.HasFile(action.Platform))
            {
                return ApiProblems.BadRequest($"{action.Platform} takes events through its API only; it has no import file.");
            }

            var now = time.GetUtcNow();
            if (!TryTime(context.Request.Query["from"], now.AddDays(-30), out var from) || !TryTime(context.Request.Query["to"], now, out var to))
            {
                return ApiProblems.BadRequest("from and to must be ISO 8601 times, e.g. 2026-03-01T00:00:00Z.");
            }

            await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            var calls = await ConversionStore.EndedCallsAsync(connection, action.OrganisationId, from, to, ct).ConfigureAwait(false);
            var timeZone = await db.SingleAsync("select time_zone from organisations where id = $1", r => r.GetString(0), ct, Uuid(action.OrganisationId)).ConfigureAwait(false) ?? "UTC";
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            ConversionExports.WriteCsv(writer, action, timeZone, calls);
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", $"{action.Platform}-conversions.csv");
        });
    }

    private static bool TryTime(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static async Task<ConversionAction?> FindActionAsync(ApiDatabase db, Guid id, ApiPrincipal principal, CancellationToken ct)
    {
        var found = await db.ListAsync(
            $"select {ConversionStore.ActionColumns} from conversion_actions where id = $1 and organisation_id = any($2)",
            ConversionStore.ReadAction, ct, Uuid(id), Scope(principal)).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    private static ConversionActionResource ToResource(ConversionAction a) =>
        new(a.Id, a.OrganisationId, a.Name, a.Platform, a.ConversionName, a.MinTalkSeconds, a.RequiredTag, a.MinScore, a.Value, a.Currency, a.Send, [.. a.Settings.Keys.Order(StringComparer.Ordinal)], a.Enabled);
}
