using CallTracking.Engine.Privacy;

namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    /// <summary>
    /// <c>GET</c>/<c>HEAD /recordings/{callId}?org=&amp;expires=&amp;sig=</c>: a recording through a signed link
    /// (<see cref="RecordingLinks"/>), without an API key: the link is the credential. A bad or altered signature,
    /// a link naming another organisation than the call's, or an expired link is 403 (counted); a call without a
    /// usable recording is 404. Each download is on the audit trail (a player's later Range requests are not).
    /// </summary>
    public static IEndpointRouteBuilder MapSignedRecordings(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(RecordingLinks.PathPrefix + "{callId:guid}", [HttpMethods.Get, HttpMethods.Head], async Task<IResult> (Guid callId, HttpContext context, RecordingLinks links, RecordingStore recordings, ApiDatabase db, Privacy.RecordingReader reader, IAuditSink audit, CancellationToken ct) =>
        {
            var query = context.Request.Query;

            // The path as sent: a UUID spelled otherwise (upper case) is an altered link, even if it names the same call.
            var raw = context.Request.RouteValues["callId"] as string ?? string.Empty;
            var organisation = query["org"].ToString();
            switch (await links.CheckAsync(raw, organisation, query["expires"].ToString(), query["sig"].ToString(), ct).ConfigureAwait(false))
            {
                case RecordingLinkCheck.Expired:
                    return TypedResults.Problem("This recording link has expired; ask for a new one.", statusCode: StatusCodes.Status403Forbidden);
                case RecordingLinkCheck.BadSignature:
                    return TypedResults.Problem("This recording link is not valid.", statusCode: StatusCodes.Status403Forbidden);
            }

            // Bound to the organisation: a genuine link is only good for a call of the organisation it names.
            var organisationId = Guid.Parse(organisation);
            var owner = await db.ListAsync("select organisation_id from calls where id = $1", r => r.GetGuid(0), ct, ApiDatabase.Uuid(callId)).ConfigureAwait(false);
            if (owner.Count == 0 || owner[0] != organisationId)
            {
                return TypedResults.Problem("This recording link is not valid.", statusCode: StatusCodes.Status403Forbidden);
            }

            var recording = await recordings.FindAsync(callId, ct).ConfigureAwait(false);
            if (recording is not null && IsNewPlayback(context.Request))
            {
                await audit.RecordAsync(AuditActions.RecordingLinkDownload, organisationId, "link", "call:" + callId.ToString("D"), new System.Text.Json.Nodes.JsonObject
                {
                    ["expires"] = query["expires"].ToString(),
                    ["remote"] = context.Connection.RemoteIpAddress?.ToString(),
                }, ct).ConfigureAwait(false);
            }

            return await RecordingDownloadAsync(recording, reader, ct).ConfigureAwait(false);
        });
        return endpoints;
    }

    /// <summary>
    /// A recording as a download (Ogg Opus), decrypted on the fly when it is encrypted at rest; Range requests are
    /// honoured so players can seek; HEAD sends the headers only. A recording whose key was destroyed is gone (404).
    /// </summary>
    private static async Task<IResult> RecordingDownloadAsync(RecordingFile? recording, Privacy.RecordingReader reader, CancellationToken cancellationToken)
    {
        if (recording is null || await reader.OpenAsync(recording.Path, cancellationToken).ConfigureAwait(false) is not { } stream)
        {
            return ApiProblems.NotFound("This call has no recording.");
        }

        return TypedResults.Stream(stream, "audio/ogg", $"call-{recording.CallId}.ogg", enableRangeProcessing: true);
    }

    /// <summary>
    /// A GET that starts a playback or download: no Range, or a Range from byte 0. A player seeking sends Ranges
    /// further in; those are the same playback and would flood the audit trail.
    /// </summary>
    private static bool IsNewPlayback(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method))
        {
            return false;
        }

        var range = request.Headers.Range.ToString();
        return range.Length == 0 || range.StartsWith("bytes=0-", StringComparison.OrdinalIgnoreCase);
    }
}
