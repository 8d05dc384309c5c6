using System.Globalization;
using CallTracking.Engine.Tracking.Dni;
using Npgsql;
using NpgsqlTypes;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    private const string PoolSelect = """
        select p.id, p.organisation_id, p.name, f.number, p.lease_seconds, p.cooldown_seconds,
               coalesce((select array_agg(t.number order by t.number) from dni_pool_numbers pn join tracking_numbers t on t.id = pn.tracking_number_id where pn.pool_id = p.id), '{}'),
               p.created_at, p.updated_at
        from dni_pools p left join tracking_numbers f on f.id = p.fallback_number_id
        """;

    private static void MapDniPools(RouteGroupBuilder dni)
    {
        dni.MapGet("/pools", async (HttpContext context, ApiDatabase db, CancellationToken ct) =>
            TypedResults.Ok(new ResourceList<DniPoolResource>(await db.ListAsync($"{PoolSelect} where p.organisation_id = any($1) order by p.name, p.id", ReadPool, ct, Scope(context.Principal())).ConfigureAwait(false))));
        dni.MapGet("/pools/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await FindPoolAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is { } pool ? TypedResults.Ok(pool) : ApiProblems.NotFound("No such pool."));
        dni.MapPost("/pools", (HttpContext context, ApiDatabase db, CancellationToken ct) => SavePoolAsync(null, context, db, ct));
        dni.MapPatch("/pools/{id:guid}", (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) => SavePoolAsync(id, context, db, ct));
        dni.MapDelete("/pools/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            try
            {
                return await db.ExecuteAsync("delete from dni_pools where id = $1 and organisation_id = any($2)", ct, Uuid(id), Scope(context.Principal())).ConfigureAwait(false) == 0
                    ? ApiProblems.NotFound("No such pool.")
                    : TypedResults.NoContent();
            }
            catch (PostgresException e) when (IsStillReferenced(e))
            {
                return ApiProblems.Conflict("Sources still use the pool; change or delete them first.");
            }
        });

        dni.MapPost("/pools/{id:guid}/numbers", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
            if (body is null)
            {
                return problem!;
            }

            if (await FindPoolAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is not { } pool)
            {
                return ApiProblems.NotFound("No such pool.");
            }

            var number = body.Text("number", required: true);
            var numberId = number is null ? null : await OwnNumberAsync(db, body, "number", number, pool.OrganisationId, ct).ConfigureAwait(false);
            if (body.Errors.Count > 0)
            {
                return ApiProblems.Invalid(body.Errors);
            }

            try
            {
                await db.ExecuteAsync("insert into dni_pool_numbers (tracking_number_id, pool_id) values ($1, $2)", ct, Uuid(numberId), Uuid(id)).ConfigureAwait(false);
            }
            catch (PostgresException e) when (IsUniqueViolation(e))
            {
                return ApiProblems.Conflict($"{number} is already in a pool.");
            }

            var updated = await FindPoolAsync(db, id, context.Principal(), ct).ConfigureAwait(false);
            return TypedResults.Created($"/v1/dni/pools/{id}", updated);
        });
        dni.MapDelete("/pools/{id:guid}/numbers/{number}", async Task<IResult> (Guid id, string number, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await db.ExecuteAsync(
                """
                delete from dni_pool_numbers pn using dni_pools p, tracking_numbers t
                where pn.pool_id = $1 and p.id = pn.pool_id and p.organisation_id = any($2) and t.id = pn.tracking_number_id and t.number = $3
                """,
                ct, Uuid(id), Scope(context.Principal()), Text(number)).ConfigureAwait(false) == 0
                ? ApiProblems.NotFound("The pool has no such number.")
                : TypedResults.NoContent());

        dni.MapGet("/pools/{id:guid}/utilisation", async Task<IResult> (Guid id, HttpContext context, DniStore store, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var visits = QueryNumber(context.Request.Query, "visits_per_hour", 0, 1_000_000, errors);
            var callRate = QueryNumber(context.Request.Query, "call_rate", 0, 1, errors);
            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(errors);
            }

            return await store.UtilisationAsync(id, context.Principal().VisibleOrganisations, visits, callRate, ct).ConfigureAwait(false) is { } utilisation
                ? TypedResults.Ok(utilisation)
                : ApiProblems.NotFound("No such pool.");
        });
    }

    private static double? QueryNumber(IQueryCollection query, string name, double minimum, double maximum, Dictionary<string, string[]> errors)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
        {
            return value;
        }

        errors[name] = [$"must be a number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}"];
        return null;
    }

    /// <summary>POST (<paramref name="id"/> null) or PATCH of a pool; <c>numbers</c> (POST only) adds the organisation's tracking numbers to it.</summary>
    private static async Task<IResult> SavePoolAsync(Guid? id, HttpContext context, ApiDatabase db, CancellationToken ct)
    {
        var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var principal = context.Principal();
        DniPoolResource? existing = null;
        if (id is { } existingId && (existing = await FindPoolAsync(db, existingId, principal, ct).ConfigureAwait(false)) is null)
        {
            return ApiProblems.NotFound("No such pool.");
        }

        var organisation = existing?.OrganisationId ?? OwnerOf(body, principal);
        var name = existing is not null && !body.Has("name") ? existing.Name : body.Text("name", required: true);
        var lease = body.Integer("lease_seconds", 60, 86400) ?? existing?.LeaseSeconds ?? 1800;
        var cooldown = body.Integer("cooldown_seconds", 0, 86400) ?? existing?.CooldownSeconds ?? 600;
        var fallbackText = existing is not null && !body.Has("fallback_number") ? existing.FallbackNumber : body.Text("fallback_number", required: false);
        Guid? fallback = null;
        if (body.Errors.Count == 0 && fallbackText is not null)
        {
            fallback = await OwnNumberAsync(db, body, "fallback_number", fallbackText, organisation, ct).ConfigureAwait(false);
        }

        var numbers = new List<Guid>();
        foreach (var number in existing is null ? body.NonEmptyTextList("numbers") : [])
        {
            if (await OwnNumberAsync(db, body, "numbers", number, organisation, ct).ConfigureAwait(false) is { } numberId)
            {
                numbers.Add(numberId);
            }
        }

        if (body.Errors.Count > 0)
        {
            return ApiProblems.Invalid(body.Errors);
        }

        try
        {
            Guid poolId;
            if (existing is null)
            {
                // One statement, so a number already in another pool leaves no half-made pool behind.
                var created = await db.ListAsync(
                    """
                    with pool as (
                        insert into dni_pools (organisation_id, name, fallback_number_id, lease_seconds, cooldown_seconds) values ($1, $2, $3, $4, $5) returning id),
                    added as (insert into dni_pool_numbers (tracking_number_id, pool_id) select n, pool.id from pool, unnest($6::uuid[]) n)
                    select id from pool
                    """,
                    r => r.GetGuid(0), ct, Uuid(organisation), Text(name), Uuid(fallback), P(lease, NpgsqlDbType.Integer), P(cooldown, NpgsqlDbType.Integer),
                    P(numbers.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid)).ConfigureAwait(false);
                poolId = created[0];
            }
            else
            {
                poolId = existing.Id;
                await db.ExecuteAsync(
                    "update dni_pools set name = $2, fallback_number_id = $3, lease_seconds = $4, cooldown_seconds = $5, updated_at = now() where id = $1",
                    ct, Uuid(poolId), Text(name), Uuid(fallback), P(lease, NpgsqlDbType.Integer), P(cooldown, NpgsqlDbType.Integer)).ConfigureAwait(false);
            }

            var pool = await FindPoolAsync(db, poolId, principal, ct).ConfigureAwait(false);
            return existing is null ? TypedResults.Created($"/v1/dni/pools/{poolId}", pool) : TypedResults.Ok(pool);
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            return ApiProblems.Conflict($"A pool named \"{name}\" already exists in this organisation, or one of the numbers is already in a pool.");
        }
    }

    private static Task<DniPoolResource?> FindPoolAsync(ApiDatabase db, Guid id, ApiPrincipal principal, CancellationToken ct) =>
        db.SingleAsync($"{PoolSelect} where p.id = $1 and p.organisation_id = any($2)", ReadPool, ct, Uuid(id), Scope(principal));

    private static DniPoolResource ReadPool(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetGuid(1), r.GetString(2), NullableText(r, 3), r.GetInt32(4), r.GetInt32(5), r.GetFieldValue<string[]>(6), Time(r, 7), Time(r, 8));
}
