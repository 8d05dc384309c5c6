using CallTracking.Engine.Provisioning;
using Npgsql;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    private const string NumberColumns = "id, number, organisation_id, campaign_id, plan_id, name, created_at, updated_at";

    private static void MapNumbers(RouteGroupBuilder v1)
    {
        v1.MapGet("/numbers", async (HttpContext context, ApiDatabase db, CancellationToken ct) =>
            TypedResults.Ok(new ResourceList<NumberResource>(await db.ListAsync(
                $"select {NumberColumns} from tracking_numbers where organisation_id = any($1) order by number",
                ReadNumber, ct, Scope(context.Principal())).ConfigureAwait(false))));

        v1.MapGet("/numbers/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await FindNumberAsync(db, id, context.Principal(), ct).ConfigureAwait(false) is { } number
                ? TypedResults.Ok(number)
                : ApiProblems.NotFound("No such tracking number."));

        v1.MapPost("/numbers", (HttpContext context, ApiDatabase db, CancellationToken ct) => SaveNumberAsync(null, partial: false, context, db, ct));
        v1.MapPut("/numbers/{id:guid}", (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) => SaveNumberAsync(id, partial: false, context, db, ct));
        v1.MapPatch("/numbers/{id:guid}", (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) => SaveNumberAsync(id, partial: true, context, db, ct));
        v1.MapDelete("/numbers/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await db.ExecuteAsync("delete from tracking_numbers where id = $1 and organisation_id = any($2)", ct, Uuid(id), Scope(context.Principal())).ConfigureAwait(false) == 0
                ? ApiProblems.NotFound("No such tracking number.")
                : TypedResults.NoContent());
    }

    /// <summary>POST (<paramref name="id"/> null), PUT or PATCH (<paramref name="partial"/>) of a tracking number.</summary>
    private static async Task<IResult> SaveNumberAsync(Guid? id, bool partial, HttpContext context, ApiDatabase db, CancellationToken ct)
    {
        var (body, problem) = await ApiRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var principal = context.Principal();
        NumberResource? existing = null;
        if (id is { } existingId && (existing = await FindNumberAsync(db, existingId, principal, ct).ConfigureAwait(false)) is null)
        {
            return ApiProblems.NotFound("No such tracking number.");
        }

        var organisation = existing?.OrganisationId ?? OwnerOf(body, principal);
        var number = Keep(existing, partial, body, "number") ? existing!.Number : body.Text("number", required: true);
        if (number is not null && !ProvisioningParser.IsE164(number))
        {
            body.Error("number", "must be an E.164 number: + and 7 to 15 digits, e.g. +15551230001");
        }

        var name = Keep(existing, partial, body, "name") ? existing!.Name : body.Text("name", required: false);
        var campaign = Keep(existing, partial, body, "campaign_id") ? existing!.CampaignId : body.Id("campaign_id");
        var plan = Keep(existing, partial, body, "plan_id") ? existing!.PlanId : body.Id("plan_id");
        if (body.Errors.Count == 0 && campaign is { } campaignId && !await BelongsAsync(db, "campaigns", campaignId, organisation, ct).ConfigureAwait(false))
        {
            body.Error("campaign_id", "no such campaign in this organisation");
        }

        if (body.Errors.Count == 0 && plan is { } planId && !await BelongsAsync(db, "routing_plans", planId, organisation, ct).ConfigureAwait(false))
        {
            body.Error("plan_id", "no such routing plan in this organisation");
        }

        if (body.Errors.Count > 0)
        {
            return ApiProblems.Invalid(body.Errors);
        }

        try
        {
            if (existing is null)
            {
                var created = await db.SingleAsync(
                    $"insert into tracking_numbers (number, organisation_id, campaign_id, plan_id, name) values ($1, $2, $3, $4, $5) returning {NumberColumns}",
                    ReadNumber, ct, Text(number), Uuid(organisation), Uuid(campaign), Uuid(plan), Text(name)).ConfigureAwait(false);
                return TypedResults.Created($"/v1/numbers/{created!.Id}", created);
            }

            var updated = await db.SingleAsync(
                $"update tracking_numbers set number = $2, campaign_id = $3, plan_id = $4, name = $5, updated_at = now() where id = $1 returning {NumberColumns}",
                ReadNumber, ct, Uuid(existing.Id), Text(number), Uuid(campaign), Uuid(plan), Text(name)).ConfigureAwait(false);
            return updated is null ? ApiProblems.NotFound("No such tracking number.") : TypedResults.Ok(updated);
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            return ApiProblems.Conflict($"The number {number} is already a tracking number.");
        }
    }

    /// <summary>PATCH keeps the stored value of a member the body leaves out.</summary>
    private static bool Keep(object? existing, bool partial, ApiRequestBody body, string member) =>
        existing is not null && partial && !body.Has(member);

    private static Task<NumberResource?> FindNumberAsync(ApiDatabase db, Guid id, ApiPrincipal principal, CancellationToken ct) =>
        db.SingleAsync($"select {NumberColumns} from tracking_numbers where id = $1 and organisation_id = any($2)", ReadNumber, ct, Uuid(id), Scope(principal));

    private static NumberResource ReadNumber(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetGuid(2), NullableGuid(r, 3), NullableGuid(r, 4), NullableText(r, 5), Time(r, 6), Time(r, 7));
}
