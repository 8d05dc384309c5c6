using System.Text.Json;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Provisioning;
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

        v1.MapPost("/plans", (HttpContext context, ApiDatabase db, EngineSettings settings, CancellationToken ct) => SavePlanAsync(null, partial: false, context, db, settings, ct));
        v1.MapPut("/plans/{id:guid}", (Guid id, HttpContext context, ApiDatabase db, EngineSettings settings, CancellationToken ct) => SavePlanAsync(id, partial: false, context, db, settings, ct));
        v1.MapPatch("/plans/{id:guid}", (Guid id, HttpContext context, ApiDatabase db, EngineSettings settings, CancellationToken ct) => SavePlanAsync(id, partial: true, context, db, settings, ct));
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
    /// POST, PUT or PATCH of a routing plan: <c>name</c> and <c>definition</c> (a JSON object with the keys of a
    /// configured number's <c>Plan</c>, checked as call control checks it: each fault is an <c>errors</c> member
    /// <c>definition.Forward[0].Trunk</c>; a PATCH that keeps the stored definition does not check it again).
    /// </summary>
    private static async Task<IResult> SavePlanAsync(Guid? id, bool partial, HttpContext context, ApiDatabase db, EngineSettings settings, CancellationToken ct)
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
        var keepDefinition = Keep(existing, partial, body, "definition");
        var definition = keepDefinition ? existing!.Definition : body.Object("definition", required: true);
        if (!keepDefinition && definition is { } given && body.Errors.Count == 0)
        {
            await ValidateDefinitionAsync(given, organisation, body, db, settings, ct).ConfigureAwait(false);
        }

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

    /// <summary>Adds an error per fault of <paramref name="definition"/>, checked against the configured trunks and the organisation's time zone.</summary>
    private static async Task ValidateDefinitionAsync(JsonElement definition, Guid organisation, ApiRequestBody body, ApiDatabase db, EngineSettings settings, CancellationToken ct)
    {
        var zoneId = await db.SingleAsync("select time_zone from organisations where id = $1", r => r.GetString(0), ct, Uuid(organisation)).ConfigureAwait(false);
        TimeZoneInfo? zone = null;
        if (zoneId is not null)
        {
            TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out zone);
        }

        ProvisioningPlans.Validator.ValidatePlanJson(definition.GetRawText(), settings.Trunks, zone, out var faults);
        foreach (var fault in faults)
        {
            body.Error(ProvisioningPlans.MemberPath("definition", fault.Key), fault.Message);
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
