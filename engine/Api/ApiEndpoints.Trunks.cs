using System.Text.Json.Nodes;
using Npgsql;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    private const string TrunkColumns = "id, name, organisation_id, definition::text, created_at, updated_at";

    /// <summary>
    /// Trunks are read-only over REST (they change through provisioning). A key sees its
    /// organisations' trunks; an agency key also sees the shared trunks (no organisation).
    /// </summary>
    private static void MapTrunks(RouteGroupBuilder v1)
    {
        v1.MapGet("/trunks", async (HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            var principal = context.Principal();
            return TypedResults.Ok(new ResourceList<TrunkResource>(await db.ListAsync(
                $"select {TrunkColumns} from trunks where organisation_id = any($1) or (organisation_id is null and $2) order by name",
                ReadTrunk, ct, Scope(principal), P(principal.IsAgency, NpgsqlTypes.NpgsqlDbType.Boolean)).ConfigureAwait(false)));
        });

        v1.MapGet("/trunks/{id:guid}", async Task<IResult> (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) =>
        {
            var principal = context.Principal();
            return await db.SingleAsync(
                $"select {TrunkColumns} from trunks where id = $1 and (organisation_id = any($2) or (organisation_id is null and $3))",
                ReadTrunk, ct, Uuid(id), Scope(principal), P(principal.IsAgency, NpgsqlTypes.NpgsqlDbType.Boolean)).ConfigureAwait(false) is { } trunk
                ? TypedResults.Ok(trunk)
                : ApiProblems.NotFound("No such trunk.");
        });
    }

    private static TrunkResource ReadTrunk(NpgsqlDataReader r)
    {
        var definition = JsonNode.Parse(r.GetString(3));
        MaskSecrets(definition);
        return new(r.GetGuid(0), r.GetString(1), NullableGuid(r, 2), ParseJson(definition?.ToJsonString() ?? "null"), Time(r, 4), Time(r, 5));
    }

    /// <summary>Replaces the value of every member whose name contains "password" or "secret" (digest credentials).</summary>
    private static void MaskSecrets(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (name.Contains("password", StringComparison.OrdinalIgnoreCase) || name.Contains("secret", StringComparison.OrdinalIgnoreCase))
                    {
                        obj[name] = "********";
                    }
                    else
                    {
                        MaskSecrets(obj[name]);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    MaskSecrets(item);
                }

                break;
        }
    }
}
