using CallTracking.Engine.Tracking.Dni;
using Npgsql;
using NpgsqlTypes;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    private const string SourceSelect = """
        select s.id, s.organisation_id, s.site_id, s.name, s.priority, s.match_kind, s.match_param, s.match_value, s.match_utm_source, s.match_utm_medium,
               t.number, s.pool_id, s.created_at, s.updated_at
        from dni_sources s left join tracking_numbers t on t.id = s.tracking_number_id
        """;

    private static void MapDniSources(RouteGroupBuilder dni)
    {
        dni.MapGet("/sources", async Task<IResult> (HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            Guid? site = null;
            if (context.Request.Query["site_id"].ToString() is { Length: > 0 } text)
            {
                if (!Guid.TryParse(text, out var parsed))
                {
                    return ApiProblems.Invalid(new Dictionary<string, string[]> { ["site_id"] = ["must be a site id (a UUID)"] });
                }

                site = parsed;
            }

            return TypedResults.Ok(new ResourceList<DniSourceResource>(await db.ListAsync(
                $"{SourceSelect} where s.organisation_id = any($1) and ($2::uuid is null or s.site_id = $2) order by s.site_id, s.priority",
                ReadSource, ct, Scope(context.Principal()), Uuid(site)).ConfigureAwait(false)));
        });
        dni.MapGet("/sources/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await FindSourceAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is { } source ? TypedResults.Ok(source) : ApiProblems.NotFound("No such source."));
        dni.MapPost("/sources", (HttpContext context, ApiDatabase db, CancellationToken ct) => SaveSourceAsync(null, context, db, ct));
        dni.MapPatch("/sources/{id:guid}", (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) => SaveSourceAsync(id, context, db, ct));
        dni.MapDelete("/sources/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await db.ExecuteAsync("delete from dni_sources where id = $1 and organisation_id = any($2)", ct, Uuid(id), Scope(context.Principal())).ConfigureAwait(false) == 0
                ? ApiProblems.NotFound("No such source.")
                : TypedResults.NoContent());
    }

    /// <summary>
    /// POST (<paramref name="id"/> null) or PATCH of a source. <c>match_kind</c> decides which match members count:
    /// landing_param needs <c>match_param</c> (and optionally <c>match_value</c>), utm needs <c>match_utm_source</c>
    /// (and optionally <c>match_utm_medium</c>), referrer needs <c>match_value</c> (a domain), all needs none.
    /// Exactly one of <c>number</c> (a static tracking number) and <c>pool_id</c>.
    /// </summary>
    private static async Task<IResult> SaveSourceAsync(Guid? id, HttpContext context, ApiDatabase db, CancellationToken ct)
    {
        var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var principal = context.Principal();
        DniSourceResource? existing = null;
        if (id is { } existingId && (existing = await FindSourceAsync(db, existingId, principal, ct).ConfigureAwait(false)) is null)
        {
            return ApiProblems.NotFound("No such source.");
        }

        string? Member(string name, string? current) => existing is not null && !body.Has(name) ? current : body.Text(name, required: false);
        var siteId = existing?.SiteId ?? body.Id("site_id");
        DniSiteResource? site = null;
        if (existing is null)
        {
            if (siteId is null)
            {
                body.Error("site_id", "is required");
            }
            else if ((site = await FindSiteAsync(db, siteId.Value, principal, ct).ConfigureAwait(false)) is null)
            {
                body.Error("site_id", "no such site");
            }
        }

        var organisation = existing?.OrganisationId ?? site?.OrganisationId ?? principal.OrganisationId;
        var name = existing is not null && !body.Has("name") ? existing.Name : body.Text("name", required: true);
        var priority = body.Integer("priority", 0, 1_000_000) ?? existing?.Priority;
        if (priority is null)
        {
            body.Error("priority", "is required: sources are tried in ascending priority");
        }

        var kindText = existing is not null && !body.Has("match_kind") ? existing.MatchKind : body.Text("match_kind", required: true);
        if (kindText is not null && !SourceRule.TryParse(kindText, out _))
        {
            body.Error("match_kind", "must be landing_param, utm, referrer or all");
        }

        var param = Member("match_param", existing?.MatchParam);
        var value = Member("match_value", existing?.MatchValue);
        var utmSource = Member("match_utm_source", existing?.MatchUtmSource);
        var utmMedium = Member("match_utm_medium", existing?.MatchUtmMedium);
        switch (kindText)
        {
            case "landing_param" when param is null:
                body.Error("match_param", "is required for landing_param: the query parameter's name");
                break;
            case "utm" when utmSource is null:
                body.Error("match_utm_source", "is required for utm");
                break;
            case "referrer" when value is null:
                body.Error("match_value", "is required for referrer: the referring domain, e.g. google.com");
                break;
        }

        var numberText = Member("number", existing?.Number);
        var pool = existing is not null && !body.Has("pool_id") ? existing.PoolId : body.Id("pool_id");
        if (body.Has("number") && body.Has("pool_id") && numberText is not null && pool is not null)
        {
            body.Error("number", "give a static number or a pool_id, not both");
        }
        else if (body.Has("number") && numberText is not null)
        {
            pool = null;
        }
        else if (body.Has("pool_id") && pool is not null)
        {
            numberText = null;
        }

        if (numberText is null && pool is null)
        {
            body.Error("number", "a source shows a static number (number) or a pool's (pool_id)");
        }

        Guid? numberId = null;
        if (body.Errors.Count == 0 && numberText is not null)
        {
            numberId = await OwnNumberAsync(db, body, "number", numberText, organisation, ct).ConfigureAwait(false);
        }

        if (body.Errors.Count == 0 && pool is { } poolId
            && (await db.ListAsync("select id from dni_pools where id = $1 and organisation_id = $2", r => r.GetGuid(0), ct, Uuid(poolId), Uuid(organisation)).ConfigureAwait(false)).Count == 0)
        {
            body.Error("pool_id", "no such pool in this organisation");
        }

        if (body.Errors.Count > 0)
        {
            return ApiProblems.Invalid(body.Errors);
        }

        try
        {
            if (existing is null)
            {
                var created = await db.ListAsync(
                    """
                    insert into dni_sources (organisation_id, site_id, name, priority, match_kind, match_param, match_value, match_utm_source, match_utm_medium, tracking_number_id, pool_id)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id
                    """,
                    r => r.GetGuid(0), ct, Uuid(organisation), Uuid(siteId), Text(name), P(priority, NpgsqlDbType.Integer), Text(kindText), Text(param), Text(value),
                    Text(utmSource), Text(utmMedium), Uuid(numberId), Uuid(pool)).ConfigureAwait(false);
                var source = await FindSourceAsync(db, created[0], principal, ct).ConfigureAwait(false);
                return TypedResults.Created($"/v1/dni/sources/{created[0]}", source);
            }

            await db.ExecuteAsync(
                """
                update dni_sources set name = $2, priority = $3, match_kind = $4, match_param = $5, match_value = $6, match_utm_source = $7, match_utm_medium = $8,
                    tracking_number_id = coalesce($9, case when $10::uuid is null then tracking_number_id end), pool_id = $10, updated_at = now()
                where id = $1
                """,
                ct, Uuid(existing.Id), Text(name), P(priority, NpgsqlDbType.Integer), Text(kindText), Text(param), Text(value), Text(utmSource), Text(utmMedium),
                Uuid(numberId), Uuid(pool)).ConfigureAwait(false);
            return TypedResults.Ok(await FindSourceAsync(db, existing.Id, principal, ct).ConfigureAwait(false));
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            return ApiProblems.Conflict($"The site already has a source named \"{name}\" or one with priority {priority}.");
        }
    }

    private static Task<DniSourceResource?> FindSourceAsync(ApiDatabase db, Guid id, ApiPrincipal principal, CancellationToken ct) =>
        db.SingleAsync($"{SourceSelect} where s.id = $1 and s.organisation_id = any($2)", ReadSource, ct, Uuid(id), Scope(principal));

    private static DniSourceResource ReadSource(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetInt32(4), r.GetString(5), NullableText(r, 6), NullableText(r, 7), NullableText(r, 8),
            NullableText(r, 9), NullableText(r, 10), NullableGuid(r, 11), Time(r, 12), Time(r, 13));
}
