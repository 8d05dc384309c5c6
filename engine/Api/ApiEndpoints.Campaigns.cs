using Npgsql;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    private const string CampaignColumns = "id, organisation_id, name, default_plan_id, created_at, updated_at";

    private static void MapCampaigns(RouteGroupBuilder v1)
    {
        v1.MapGet("/campaigns", async (HttpContext context, ApiDatabase db, CancellationToken ct) =>
            TypedResults.Ok(new ResourceList<CampaignResource>(await db.ListAsync(
                $"select {CampaignColumns} from campaigns where organisation_id = any($1) order by name, id",
                ReadCampaign, ct, Scope(context.Principal())).ConfigureAwait(false))));

        v1.MapGet("/campaigns/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await FindCampaignAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is { } campaign
                ? TypedResults.Ok(campaign)
                : ApiProblems.NotFound("No such campaign."));

        v1.MapPost("/campaigns", CreateCampaignAsync);
        v1.MapPut("/campaigns/{id:guid}", (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) => UpdateCampaignAsync(id, partial: false, context, db, ct));
        v1.MapPatch("/campaigns/{id:guid}", (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) => UpdateCampaignAsync(id, partial: true, context, db, ct));
        v1.MapDelete("/campaigns/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            try
            {
                return await db.ExecuteAsync("delete from campaigns where id = $1 and organisation_id = any($2)", ct, Uuid(id), Scope(context.Principal())).ConfigureAwait(false) == 0
                    ? ApiProblems.NotFound("No such campaign.")
                    : TypedResults.NoContent();
            }
            catch (PostgresException e) when (IsStillReferenced(e))
            {
                return ApiProblems.Conflict("The campaign still has tracking numbers; move or delete them first.");
            }
        });
    }

    private static async Task<IResult> CreateCampaignAsync(HttpContext context, ApiDatabase db, CancellationToken ct)
    {
        var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var principal = context.Principal();
        var name = body.Text("name", required: true);
        var organisation = OwnerOf(body, principal);
        var plan = body.Id("default_plan_id");
        if (body.Errors.Count == 0 && plan is { } planId && !await BelongsAsync(db, "routing_plans", planId, organisation, ct).ConfigureAwait(false))
        {
            body.Error("default_plan_id", "no such routing plan in this organisation");
        }

        if (body.Errors.Count > 0)
        {
            return ApiProblems.Invalid(body.Errors);
        }

        try
        {
            var created = await db.SingleAsync(
                $"insert into campaigns (organisation_id, name, default_plan_id) values ($1, $2, $3) returning {CampaignColumns}",
                ReadCampaign, ct, Uuid(organisation), Text(name), Uuid(plan)).ConfigureAwait(false);
            return TypedResults.Created($"/v1/campaigns/{created!.Id}", created);
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            return ApiProblems.Conflict($"A campaign named \"{name}\" already exists in this organisation.");
        }
    }

    private static async Task<IResult> UpdateCampaignAsync(Guid id, bool partial, HttpContext context, ApiDatabase db, CancellationToken ct)
    {
        var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        if (await FindCampaignAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is not { } existing)
        {
            return ApiProblems.NotFound("No such campaign.");
        }

        var name = partial && !body.Has("name") ? existing.Name : body.Text("name", required: true);
        var plan = partial && !body.Has("default_plan_id") ? existing.DefaultPlanId : body.Id("default_plan_id");
        if (body.Errors.Count == 0 && plan is { } planId && !await BelongsAsync(db, "routing_plans", planId, existing.OrganisationId, ct).ConfigureAwait(false))
        {
            body.Error("default_plan_id", "no such routing plan in this organisation");
        }

        if (body.Errors.Count > 0)
        {
            return ApiProblems.Invalid(body.Errors);
        }

        try
        {
            var updated = await db.SingleAsync(
                $"update campaigns set name = $2, default_plan_id = $3, updated_at = now() where id = $1 returning {CampaignColumns}",
                ReadCampaign, ct, Uuid(id), Text(name), Uuid(plan)).ConfigureAwait(false);
            return updated is null ? ApiProblems.NotFound("No such campaign.") : TypedResults.Ok(updated);
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            return ApiProblems.Conflict($"A campaign named \"{name}\" already exists in this organisation.");
        }
    }

    private static Task<CampaignResource?> FindCampaignAsync(ApiDatabase db, Guid id, ApiPrincipal principal, CancellationToken ct) =>
        db.SingleAsync($"select {CampaignColumns} from campaigns where id = $1 and organisation_id = any($2)", ReadCampaign, ct, Uuid(id), Scope(principal));

    /// <summary>The organisation a new object goes to: <c>organisation_id</c> if given and visible, else the key's own.</summary>
    private static Guid OwnerOf(ApiRequestBody body, ApiPrincipal principal)
    {
        var requested = body.Id("organisation_id");
        if (requested is { } id && !principal.CanSee(id))
        {
            body.Error("organisation_id", "no such organisation");
        }

        return requested ?? principal.OrganisationId;
    }

    /// <summary>Whether the plan or campaign <paramref name="id"/> belongs to <paramref name="organisation"/> (<paramref name="table"/> is one of two constants).</summary>
    private static async Task<bool> BelongsAsync(ApiDatabase db, string table, Guid id, Guid organisation, CancellationToken ct)
    {
        var sql = table switch
        {
            "routing_plans" => "select id from routing_plans where id = $1 and organisation_id = $2",
            "campaigns" => "select id from campaigns where id = $1 and organisation_id = $2",
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        var found = await db.ListAsync(sql, r => r.GetGuid(0), ct, Uuid(id), Uuid(organisation)).ConfigureAwait(false);
        return found.Count == 1;
    }

    private static CampaignResource ReadCampaign(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetGuid(1), r.GetString(2), NullableGuid(r, 3), Time(r, 4), Time(r, 5));
}
