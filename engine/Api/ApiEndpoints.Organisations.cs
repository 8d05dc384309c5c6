using Npgsql;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    private const string OrganisationColumns = "id, name, parent_id, time_zone, created_at, updated_at";

    private static void MapOrganisations(RouteGroupBuilder v1)
    {
        v1.MapGet("/organisations", async (HttpContext context, ApiDatabase db, CancellationToken ct) =>
            TypedResults.Ok(new ResourceList<OrganisationResource>(await db.ListAsync(
                $"select {OrganisationColumns} from organisations where id = any($1) order by name, id",
                ReadOrganisation, ct, Scope(context.Principal())).ConfigureAwait(false))));

        v1.MapGet("/organisations/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
            await db.SingleAsync(
                $"select {OrganisationColumns} from organisations where id = $1 and id = any($2)",
                ReadOrganisation, ct, Uuid(id), Scope(context.Principal())).ConfigureAwait(false) is { } organisation
                ? TypedResults.Ok(organisation)
                : ApiProblems.NotFound("No such organisation."));
    }

    private static OrganisationResource ReadOrganisation(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), NullableGuid(r, 2), r.GetString(3), Time(r, 4), Time(r, 5));
}
