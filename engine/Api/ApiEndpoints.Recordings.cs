namespace CallTracking.Engine.Api;

public static partial class ApiEndpoints
{
    /// <summary>
    /// <c>GET</c>/<c>HEAD /recordings/{callId}?expires=&amp;sig=</c>: a recording through a signed link
    /// (<see cref="RecordingLinks"/>), without an API key: the link is the credential. A bad signature or an
    /// expired link is 403 (counted); a call without a usable recording is 404.
    /// </summary>
    public static IEndpointRouteBuilder MapSignedRecordings(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(RecordingLinks.PathPrefix + "{callId:guid}", [HttpMethods.Get, HttpMethods.Head], async Task<IResult> (Guid callId, HttpContext context, RecordingLinks links, RecordingStore recordings, CancellationToken ct) =>
        {
            var query = context.Request.Query;
            switch (await links.CheckAsync(callId, query["expires"].ToString(), query["sig"].ToString(), ct).ConfigureAwait(false))
            {
                case RecordingLinkCheck.Expired:
                    return TypedResults.Problem("This recording link has expired; ask for a new one.", statusCode: StatusCodes.Status403Forbidden);
                case RecordingLinkCheck.BadSignature:
                    return TypedResults.Problem("This recording link is not valid.", statusCode: StatusCodes.Status403Forbidden);
                default:
                    return RecordingDownload(await recordings.FindAsync(callId, ct).ConfigureAwait(false));
            }
        });
        return endpoints;
    }

    /// <summary>A recording as a download (Ogg Opus); Range requests are honoured so players can seek; HEAD sends the headers only.</summary>
    private static IResult RecordingDownload(RecordingFile? recording) =>
        recording is null
            ? ApiProblems.NotFound("This call has no recording.")
            : TypedResults.PhysicalFile(recording.Path, "audio/ogg", $"call-{recording.CallId}.ogg", enableRangeProcessing: true);
}
