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
        endpoints.MapMethods(RecordingLinks.PathPrefix + "{callId:guid}", [HttpMethods.Get, HttpMethods.Head], async Task<IResult> (Guid callId, HttpContext context, RecordingLinks links, RecordingStore recordings, Privacy.RecordingReader reader, CancellationToken ct) =>
        {
            var query = context.Request.Query;
            switch (await links.CheckAsync(callId, query["expires"].ToString(), query["sig"].ToString(), ct).ConfigureAwait(false))
            {
                case RecordingLinkCheck.Expired:
                    return TypedResults.Problem("This recording link has expired; ask for a new one.", statusCode: StatusCodes.Status403Forbidden);
                case RecordingLinkCheck.BadSignature:
                    return TypedResults.Problem("This recording link is not valid.", statusCode: StatusCodes.Status403Forbidden);
                default:
                    return await RecordingDownloadAsync(await recordings.FindAsync(callId, ct).ConfigureAwait(false), reader, ct).ConfigureAwait(false);
            }
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
}
