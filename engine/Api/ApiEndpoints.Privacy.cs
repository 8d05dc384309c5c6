using System.Text.Json.Nodes;
using CallTracking.Engine.Configuration;
using CallTracking.Engine.Privacy;
using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    /// <summary>
    /// Deletion, retention, requests by caller number and organisation exit (issue 8):
    /// <c>DELETE /v1/calls/{id}/recording</c>, <c>DELETE /v1/calls/{id}/transcript</c>, <c>DELETE /v1/calls/{id}</c>;
    /// <c>PUT /v1/organisations/{id}/retention</c> and <c>PUT /v1/campaigns/{id}/retention</c>
    /// (<c>{"recordings_days":365,"transcripts_days":365,"calls_days":730}</c>, null keeps);
    /// <c>GET /v1/subjects/{number}/calls</c>, <c>GET /v1/subjects/{number}/export</c> (zip),
    /// <c>POST /v1/subjects/{number}/erase</c>, each with an optional <c>?organisation_id=</c>;
    /// <c>GET /v1/organisations/{id}/export</c> (zip) and <c>DELETE /v1/organisations/{id}?confirm={name}</c>.
    /// Everything is limited to the organisations the key may see.
    /// </summary>
    private static void MapPrivacy(RouteGroupBuilder v1)
    {
        v1.MapDelete("/calls/{id:guid}/recording", (Guid id, HttpContext context, DataDeletion deletion, CancellationToken ct) => DeleteAsync(id, DeletionTarget.Recording, context, deletion, ct));
        v1.MapDelete("/calls/{id:guid}/transcript", (Guid id, HttpContext context, DataDeletion deletion, CancellationToken ct) => DeleteAsync(id, DeletionTarget.Transcript, context, deletion, ct));
        v1.MapDelete("/calls/{id:guid}", (Guid id, HttpContext context, DataDeletion deletion, CancellationToken ct) => DeleteAsync(id, DeletionTarget.Call, context, deletion, ct));

        v1.MapPut("/organisations/{id:guid}/retention", (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) => SetRetentionAsync("organisations", "id = $1 and id = any($5)", id, context, db, ct));
        v1.MapPut("/campaigns/{id:guid}/retention", (Guid id, HttpContext context, ApiDatabase db, CancellationToken ct) => SetRetentionAsync("campaigns", "id = $1 and organisation_id = any($5)", id, context, db, ct));

        v1.MapGet("/subjects/{number}/calls", async Task<IResult> (string number, HttpContext context, SubjectRequests subjects, CancellationToken ct) =>
        {
            if (SubjectRequests.Normalise(number) is null)
            {
                return ApiProblems.BadRequest("The number is not a phone number (E.164, e.g. +447700900123).");
            }

            var calls = await subjects.FindAsync(number, OrganisationFilter(context), context.Principal().VisibleOrganisations, ct).ConfigureAwait(false);
            return TypedResults.Json(new { number = SubjectRequests.Normalise(number), calls }, PrivacyJson.Options);
        });

        v1.MapGet("/subjects/{number}/export", async Task<IResult> (string number, HttpContext context, SubjectRequests subjects, EngineSettings settings, CancellationToken ct) =>
        {
            if (SubjectRequests.Normalise(number) is null)
            {
                return ApiProblems.BadRequest("The number is not a phone number (E.164, e.g. +447700900123).");
            }

            var file = TemporaryArchive(settings);
            await subjects.ExportAsync(number, OrganisationFilter(context), context.Principal().VisibleOrganisations, Actor(context), file, progress: null, ct).ConfigureAwait(false);
            file.Position = 0;
            return TypedResults.Stream(file, "application/zip", $"subject-{SubjectRequests.Normalise(number)!.TrimStart('+')}.zip");
        });

        v1.MapPost("/subjects/{number}/erase", async Task<IResult> (string number, HttpContext context, SubjectRequests subjects, CancellationToken ct) =>
        {
            if (SubjectRequests.Normalise(number) is null)
            {
                return ApiProblems.BadRequest("The number is not a phone number (E.164, e.g. +447700900123).");
            }

            var calls = await subjects.EraseAsync(number, OrganisationFilter(context), context.Principal().VisibleOrganisations, Actor(context), progress: null, ct).ConfigureAwait(false);
            return TypedResults.Json(new { number = SubjectRequests.Normalise(number), erased = calls.Select(c => c.CallId).ToArray() }, PrivacyJson.Options);
        });

        v1.MapGet("/organisations/{id:guid}/export", async Task<IResult> (Guid id, HttpContext context, OrganisationExit exit, EngineSettings settings, CancellationToken ct) =>
        {
            if (!context.Principal().CanSee(id))
            {
                return ApiProblems.NotFound("No such organisation.");
            }

            var file = TemporaryArchive(settings);
            await exit.ExportAsync(id, Actor(context), file, progress: null, ct).ConfigureAwait(false);
            file.Position = 0;
            return TypedResults.Stream(file, "application/zip", $"organisation-{id}.zip");
        });

        v1.MapDelete("/organisations/{id:guid}", async Task<IResult> (Guid id, HttpContext context, OrganisationExit exit, CancellationToken ct) =>
        {
            var principal = context.Principal();

            // A key cannot delete the organisation it belongs to (it would delete itself mid-request); an agency deletes its clients.
            if (!principal.CanSee(id) || await exit.FindAsync(id.ToString(), ct).ConfigureAwait(false) is not { } organisation)
            {
                return ApiProblems.NotFound("No such organisation.");
            }

            if (id == principal.OrganisationId)
            {
                return ApiProblems.Conflict("A key cannot delete its own organisation; use an agency key or 'calltracking org delete'.");
            }

            if (context.Request.Query["confirm"].ToString() != organisation.Name)
            {
                return ApiProblems.BadRequest($"Deleting an organisation deletes everything it owns: repeat its name as ?confirm={Uri.EscapeDataString(organisation.Name)}.");
            }

            return await exit.DeleteAsync(id, Actor(context), progress: null, ct).ConfigureAwait(false)
                ? TypedResults.NoContent()
                : ApiProblems.Conflict("The organisation has client organisations; delete them first.");
        });
    }

    private static async Task<IResult> DeleteAsync(Guid id, DeletionTarget target, HttpContext context, DataDeletion deletion, CancellationToken ct)
    {
        var result = await deletion.DeleteAsync(id, target, Actor(context), "request", context.Principal().VisibleOrganisations, ct).ConfigureAwait(false);
        return result.Found ? TypedResults.Json(result, PrivacyJson.Options) : ApiProblems.NotFound("No such call.");
    }

    private static async Task<IResult> SetRetentionAsync(string table, string where, Guid id, HttpContext context, ApiDatabase db, CancellationToken ct)
    {
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: ct).ConfigureAwait(false) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            return ApiProblems.BadRequest("Send {\"recordings_days\":N|null,\"transcripts_days\":N|null,\"calls_days\":N|null}.");
        }

        var days = new int?[3];
        var names = new[] { "recordings_days", "transcripts_days", "calls_days" };
        for (var i = 0; i < names.Length; i++)
        {
            try
            {
                days[i] = body[names[i]]?.GetValue<int>();
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                return ApiProblems.BadRequest($"{names[i]} must be a whole number of days or null.");
            }

            if (days[i] < 0)
            {
                return ApiProblems.BadRequest($"{names[i]} must not be negative.");
            }
        }

        var updated = await db.ExecuteAsync(
            $"update {table} set retain_recordings_days = $2, retain_transcripts_days = $3, retain_calls_days = $4, updated_at = now() where {where}",
            ct,
            Uuid(id),
            P(days[0], NpgsqlTypes.NpgsqlDbType.Integer),
            P(days[1], NpgsqlTypes.NpgsqlDbType.Integer),
            P(days[2], NpgsqlTypes.NpgsqlDbType.Integer),
            Scope(context.Principal())).ConfigureAwait(false);
        return updated == 0
            ? ApiProblems.NotFound("Not found.")
            : TypedResults.Json(new { recordings_days = days[0], transcripts_days = days[1], calls_days = days[2] }, PrivacyJson.Options);
    }

    private static Guid? OrganisationFilter(HttpContext context) =>
        Guid.TryParse(context.Request.Query["organisation_id"].ToString(), out var id) ? id : null;

    private static string Actor(HttpContext context) => "api-key:" + context.Principal().KeyPrefix;

    /// <summary>An export is built in a file that deletes itself when the response is done with it.</summary>
    private static FileStream TemporaryArchive(EngineSettings settings)
    {
        var folder = Path.Combine(settings.DataPath, "exports");
        Directory.CreateDirectory(folder);
        return PrivateFile.Create(Path.Combine(folder, Guid.NewGuid().ToString("N") + ".zip"), FileMode.CreateNew, FileAccess.ReadWrite, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
    }
}
