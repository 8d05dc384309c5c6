using CallTracking.Engine.Provisioning;
using CallTracking.Engine.Tracking.Dni;
using Npgsql;
using NpgsqlTypes;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

/// <summary>
/// Dynamic number insertion under <c>/v1/dni</c>: sites (<c>/sites</c>, plus <c>POST /sites/{id}/secret</c> to
/// rotate the site secret), sources (<c>/sources</c>), pools and their numbers (<c>/pools</c>,
/// <c>/pools/{id}/numbers</c>, <c>/pools/{id}/utilisation</c>) and visitor sessions (<c>GET /sessions</c>).
/// </summary>
public static partial class ApiEndpoints
{
    private const string SiteColumns = "id, organisation_id, name, public_key, allowed_origins, swap_numbers, heartbeat_seconds, created_at, updated_at";

    private static void MapDni(RouteGroupBuilder v1)
    {
        var dni = v1.MapGroup("/dni");
        dni.MapGet("/sites", async (HttpContext context, ApiDatabase db, CancellationToken ct) =>
            TypedResults.Ok(new ResourceList<DniSiteResource>(await db.ListAsync(
                $"select {SiteColumns} from dni_sites where organisation_id = any($1) order by name, id", ReadSite, ct, Scope(context.Principal())).ConfigureAwait(false))));
        dni.MapGet("/sites/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await FindSiteAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is { } site ? TypedResults.Ok(site) : ApiProblems.NotFound("No such site."));
        dni.MapPost("/sites", (HttpContext context, ApiDatabase db, CancellationToken ct) => SaveSiteAsync(null, context, db, ct));
        dni.MapPatch("/sites/{id:guid}", (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) => SaveSiteAsync(id, context, db, ct));
        dni.MapPost("/sites/{id:guid}/secret", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            var secret = DniStore.NewSecret();
            var site = await db.SingleAsync(
                $"update dni_sites set secret_hash = $3, updated_at = now() where id = $1 and organisation_id = any($2) returning {SiteColumns}",
                ReadSite, ct, Uuid(id), Scope(context.Principal()), P(DniStore.HashSecret(secret), NpgsqlDbType.Bytea)).ConfigureAwait(false);
            return site is null ? ApiProblems.NotFound("No such site.") : TypedResults.Ok(site with { Secret = secret });
        });
        dni.MapDelete("/sites/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await db.ExecuteAsync("delete from dni_sites where id = $1 and organisation_id = any($2)", ct, Uuid(id), Scope(context.Principal())).ConfigureAwait(false) == 0
                ? ApiProblems.NotFound("No such site.")
                : TypedResults.NoContent());
        dni.MapGet("/sessions", ListSessionsAsync);
        MapDniSources(dni);
        MapDniPools(dni);
    }

    /// <summary>POST (<paramref name="id"/> null) or PATCH of a site: only the members present change.</summary>
    private static async Task<IResult> SaveSiteAsync(Guid? id, HttpContext context, ApiDatabase db, CancellationToken ct)
    {
        var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var principal = context.Principal();
        DniSiteResource? existing = null;
        if (id is { } existingId && (existing = await FindSiteAsync(db, existingId, principal, ct).ConfigureAwait(false)) is null)
        {
            return ApiProblems.NotFound("No such site.");
        }

        var organisation = existing?.OrganisationId ?? OwnerOf(body, principal);
        var name = existing is not null && !body.Has("name") ? existing.Name : body.Text("name", required: true);
        var origins = existing is not null && !body.Has("allowed_origins") ? [.. existing.AllowedOrigins] : Origins(body);
        var numbers = existing is not null && !body.Has("swap_numbers") ? [.. existing.SwapNumbers] : body.NonEmptyTextList("swap_numbers");
        foreach (var number in numbers.Where(n => !ProvisioningParser.IsE164(n)))
        {
            body.Error("swap_numbers", $"\"{number}\" is not an E.164 number (+ and 7 to 15 digits)");
        }

        var heartbeat = body.Integer("heartbeat_seconds", 5, 3600) ?? existing?.HeartbeatSeconds ?? 60;
        if (body.Errors.Count > 0)
        {
            return ApiProblems.Invalid(body.Errors);
        }

        var originsParameter = P(origins.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        var numbersParameter = P(numbers.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        try
        {
            if (existing is null)
            {
                var secret = DniStore.NewSecret();
                var created = await db.SingleAsync(
                    $"insert into dni_sites (organisation_id, name, public_key, secret_hash, allowed_origins, swap_numbers, heartbeat_seconds) values ($1, $2, $3, $4, $5, $6, $7) returning {SiteColumns}",
                    ReadSite, ct, Uuid(organisation), Text(name), Text(DniStore.NewPublicKey()), P(DniStore.HashSecret(secret), NpgsqlDbType.Bytea), originsParameter, numbersParameter,
                    P(heartbeat, NpgsqlDbType.Integer)).ConfigureAwait(false);
                return TypedResults.Created($"/v1/dni/sites/{created!.Id}", created with { Secret = secret });
            }

            var updated = await db.SingleAsync(
                $"update dni_sites set name = $2, allowed_origins = $3, swap_numbers = $4, heartbeat_seconds = $5, updated_at = now() where id = $1 returning {SiteColumns}",
                ReadSite, ct, Uuid(existing.Id), Text(name), originsParameter, numbersParameter, P(heartbeat, NpgsqlDbType.Integer)).ConfigureAwait(false);
            return updated is null ? ApiProblems.NotFound("No such site.") : TypedResults.Ok(updated);
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            return ApiProblems.Conflict($"A site named \"{name}\" already exists in this organisation.");
        }
    }

    /// <summary><c>allowed_origins</c>: each an http(s) origin, stored as <c>scheme://host[:port]</c> (RFC 6454 §6.1).</summary>
    private static List<string> Origins(ApiRequestBody body)
    {
        var origins = new List<string>();
        foreach (var text in body.NonEmptyTextList("allowed_origins"))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.AbsolutePath == "/" && uri.Query.Length == 0)
            {
                origins.Add(uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant());
            }
            else
            {
                body.Error("allowed_origins", $"\"{text}\" is not an origin such as https://www.example.com");
            }
        }

        return origins;
    }

    private static async Task<IResult> ListSessionsAsync(HttpContext context, ApiDatabase db, CancellationToken ct)
    {
        var query = context.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Guid? site = null;
        if (query["site_id"].ToString() is { Length: > 0 } siteText)
        {
            if (Guid.TryParse(siteText, out var parsed))
            {
                site = parsed;
            }
            else
            {
                errors["site_id"] = ["must be a site id (a UUID)"];
            }
        }

        var limit = 50;
        if (query["limit"].ToString() is { Length: > 0 } limitText && (!int.TryParse(limitText, out limit) || limit < 1 || limit > 500))
        {
            errors["limit"] = ["must be an integer from 1 to 500"];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var visitor = query["visitor_id"].ToString();
        var sessions = await db.ListAsync(
            """
            select id, organisation_id, site_id, visitor_id, source_id, pool_id, assignment, number, landing_page, referrer, utm_source, utm_medium,
                   utm_campaign, utm_term, utm_content, gclid, gbraid, wbraid, msclkid, fbclid, ga_client_id, ga_session_id, user_agent, first_touch::text,
                   started_at, last_seen_at
            from dni_sessions
            where organisation_id = any($1) and ($2::uuid is null or site_id = $2) and ($3::text is null or visitor_id = $3)
            order by started_at desc, id desc
            limit $4
            """,
            r => new DniSessionResource(
                r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), NullableGuid(r, 4), NullableGuid(r, 5), r.GetString(6), NullableText(r, 7),
                NullableText(r, 8), NullableText(r, 9), NullableText(r, 10), NullableText(r, 11), NullableText(r, 12), NullableText(r, 13), NullableText(r, 14),
                NullableText(r, 15), NullableText(r, 16), NullableText(r, 17), NullableText(r, 18), NullableText(r, 19), NullableText(r, 20), NullableText(r, 21),
                NullableText(r, 22), System.Text.Json.JsonDocument.Parse(r.GetString(23)).RootElement.Clone(), Time(r, 24), Time(r, 25)),
            ct,
            Scope(context.Principal()), Uuid(site), Text(visitor.Length == 0 ? null : visitor), P(limit, NpgsqlDbType.Integer)).ConfigureAwait(false);
        return TypedResults.Ok(new ResourceList<DniSessionResource>(sessions));
    }

    private static Task<DniSiteResource?> FindSiteAsync(ApiDatabase db, Guid id, ApiPrincipal principal, CancellationToken ct) =>
        db.SingleAsync($"select {SiteColumns} from dni_sites where id = $1 and organisation_id = any($2)", ReadSite, ct, Uuid(id), Scope(principal));

    private static DniSiteResource ReadSite(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetFieldValue<string[]>(4), r.GetFieldValue<string[]>(5), r.GetInt32(6), Time(r, 7), Time(r, 8));

    /// <summary>The id of the organisation's tracking number <paramref name="number"/> (E.164), or null with an error on <paramref name="member"/>.</summary>
    private static async Task<Guid?> OwnNumberAsync(ApiDatabase db, ApiRequestBody body, string member, string number, Guid organisation, CancellationToken ct)
    {
        if (!ProvisioningParser.IsE164(number))
        {
            body.Error(member, $"\"{number}\" is not an E.164 number (+ and 7 to 15 digits)");
            return null;
        }

        var found = await db.ListAsync("select id from tracking_numbers where number = $1 and organisation_id = $2", r => r.GetGuid(0), ct, Text(number), Uuid(organisation)).ConfigureAwait(false);
        if (found.Count == 0)
        {
            body.Error(member, $"{number} is not a tracking number of this organisation (create it with POST /v1/numbers)");
            return null;
        }

        return found[0];
    }
}
