using static CallTracking.Engine.Api.ApiDatabase;

namespace CallTracking.Engine.Api;

/// <summary>
/// Finds a call's recording file for every way one is downloaded (the REST API, signed links, gRPC link
/// requests): the newest recording without an error whose file exists, its stored path resolved against the
/// data folder. Callers check that the caller may see the call first.
/// </summary>
public sealed class RecordingStore
{
    private readonly ApiDatabase _db;
    private readonly string _dataPath;

    public RecordingStore(ApiDatabase db, string dataPath)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrEmpty(dataPath);
        _db = db;
        _dataPath = dataPath;
    }

    /// <summary>
    /// The file to serve: the redacted copy when one was made (Privacy/RecordingRedaction) and exists, else the
    /// recording; <paramref name="original"/> asks for the recording itself (callers check the caller is an admin).
    /// </summary>
    public async Task<RecordingFile?> FindAsync(Guid callId, CancellationToken cancellationToken, bool original = false)
    {
        var rows = await _db.ListAsync(
            "select path, duration_ms, bytes, redacted_path from recordings where call_id = $1 and path is not null and error is null order by created_at desc, id desc limit 1",
            r => (Path: r.GetString(0), DurationMs: r.IsDBNull(1) ? (long?)null : r.GetInt64(1), Bytes: r.IsDBNull(2) ? (long?)null : r.GetInt64(2), Redacted: r.IsDBNull(3) ? null : r.GetString(3)),
            cancellationToken,
            Uuid(callId)).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        if (!original && rows[0].Redacted is { } redacted && Path.GetFullPath(redacted, _dataPath) is var copy && File.Exists(copy))
        {
            return new RecordingFile(callId, copy, rows[0].DurationMs, new FileInfo(copy).Length, Redacted: true);
        }

        var path = Path.GetFullPath(rows[0].Path, _dataPath);
        return File.Exists(path) ? new RecordingFile(callId, path, rows[0].DurationMs, rows[0].Bytes) : null;
    }
}
