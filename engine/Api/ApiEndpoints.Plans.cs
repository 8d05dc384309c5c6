using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    private const string PlanColumns = "id, organisation_id, name, definition::text, created_at, updated_at";

    private static void MapPlans(RouteGroupBuilder v1)
    {
        v1.MapGet("/plans", async (HttpContext context, ApiDatabase db, CancellationToken ct) =>
            TypedResults.Ok(new ResourceList<PlanResource>(await db.ListAsync(
                $"select {PlanColumns} from routing_plans where organisation_id = any($1) order by name, id",
                ReadPlan, ct, Scope(context.Principal())).ConfigureAwait(false))));

        v1.MapGet("/plans/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await FindPlanAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is { } plan
                ? TypedResults.Ok(plan)
                : ApiProblems.NotFound("No such routing plan."));

        v1.MapPost("/plans", (HttpContext context, ApiDatabase db, CancellationToken ct) => SavePlanAsync(null, partial: false, context, db, ct));
        v1.MapPut("/plans/{id:guid}", (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) => SavePlanAsync(id, partial: false, context, db, ct));
        v1.MapPatch("/plans/{id:guid}", (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) => SavePlanAsync(id, partial: true, context, db, ct));
        v1.MapDelete("/plans/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            try
            {
                return await db.ExecuteAsync("delete from routing_plans where id = $1 and organisation_id = any($2)", ct, Uuid(id), Scope(context.Principal())).ConfigureAwait(false) == 0
                    ? ApiProblems.NotFound("No such routing plan.")
                    : TypedResults.NoContent();
            }
            catch (PostgresException e) when (IsStillReferenced(e))
            {
                return ApiProblems.Conflict("Campaigns or tracking numbers still use this routing plan.");
            }
        });
    }

    /// <summary>
    /// POST, PUT or PATCH of a routing plan: <c>name</c> and <c>definition</c> (a JSON object, stored
    /// as given; its routing shape is checked where plans are loaded, not here).
    /// </summary>
    private static async Task<IResult> SavePlanAsync(Guid? id, bool partial, HttpContext context, ApiDatabase db, CancellationToken ct)
    {
        var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var principal = context.Principal();
        PlanResource? existing = null;
        if (id is { } existingId && (existing = await FindPlanAsync(db, existingId, principal, ct).ConfigureAwait(false)) is null)
        {
            return ApiProblems.NotFound("No such routing plan.");
        }

        var organisation = existing?.OrganisationId ?? OwnerOf(body, principal);
        var name = Keep(existing, partial, body, "name") ? existing!.Name : body.Text("name", required: true);
        var definition = Keep(existing, partial, body, "definition") ? existing!.Definition : body.Object("definition", required: true);
        if (body.Errors.Count > 0)
        {
            return ApiProblems.Invalid(body.Errors);
        }

        var json = P(definition!.Value.GetRawText(), NpgsqlDbType.Jsonb);
        try
        {
            var saved = existing is null
                ? await db.SingleAsync(
                    $"insert into routing_plans (organisation_id, name, definition) values ($1, $2, $3) returning {PlanColumns}",
                    ReadPlan, ct, Uuid(organisation), Text(name), json).ConfigureAwait(false)
                : await db.SingleAsync(
                    $"update routing_plans set name = $2, definition = $3, updated_at = now() where id = $1 returning {PlanColumns}",
                    ReadPlan, ct, Uuid(existing.Id), Text(name), json).ConfigureAwait(false);
            if (saved is null)
            {
                return ApiProblems.NotFound("No such routing plan.");
            }

            return existing is null ? TypedResults.Created($"/v1/plans/{saved.Id}", saved) : TypedResults.Ok(saved);
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            return ApiProblems.Conflict($"A routing plan named \"{name}\" already exists in this organisation.");
        }
    }

    private static Task<PlanResource?> FindPlanAsync(ApiDatabase db, Guid id, ApiPrincipal principal, CancellationToken ct) =>
        db.SingleAsync($"select {PlanColumns} from routing_plans where id = $1 and organisation_id = any($2)", ReadPlan, ct, Uuid(id), Scope(principal));

    private static PlanResource ReadPlan(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetGuid(1), r.GetString(2), ParseJson(r.GetString(3)), Time(r, 4), Time(r, 5));

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
