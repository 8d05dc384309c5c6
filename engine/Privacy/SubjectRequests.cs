using System.IO.Compression;
using System.Text.Json.Nodes;
using CallTracking.Engine.Configuration;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// Requests by caller number (data-subject access and erasure, GDPR Art. 15 and 17): find every call from a
/// number with what hangs off it (recordings, transcripts, attribution and the session it names, events, and rows
/// of any other table with a <c>call_id</c>, such as webhook deliveries); export them as one zip; erase them
/// (crypto-shredding the recordings and transcripts, removing the linked rows, scrubbing the caller from the call,
/// which stays as a tombstone). Limited to one organisation when asked (and to what the caller may see), so
/// another organisation's calls from the same number are never touched. Every export and erasure is audited.
/// </summary>
public sealed class SubjectRequests
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly DataDeletion _deletion;
    private readonly IAuditSink _audit;
    private readonly PrivacyArchive _archive;
    private readonly TimeProvider _time;

    public SubjectRequests(NpgsqlDataSource dataSource, DataDeletion deletion, IAuditSink audit, RecordingReader recordings, TranscriptCipher transcripts, EngineSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _dataSource = dataSource;
        _deletion = deletion;
        _audit = audit;
        _time = time;
        _archive = new PrivacyArchive(dataSource, recordings, transcripts, settings.DataPath);
    }

    /// <summary>The number as stored (E.164): spaces, dashes, dots and brackets removed; null when it is not a phone number.</summary>
    public static string? Normalise(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        var digits = new System.Text.StringBuilder();
        foreach (var c in number.Trim())
        {
            if (char.IsAsciiDigit(c) || (c == '+' && digits.Length == 0))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                return null;
            }
        }

        var text = digits.ToString();
        return text.TrimStart('+').Length is >= 3 and <= 15 ? text : null;
    }

    /// <param name="organisationId">Only this organisation's calls; null: every organisation in <paramref name="scope"/>.</param>
    /// <param name="scope">Organisations the requester may see; null: all (the CLI).</param>
    public async Task<IReadOnlyList<SubjectCall>> FindAsync(string number, Guid? organisationId, IReadOnlyCollection<Guid>? scope, CancellationToken cancellationToken)
    {
        var normalised = Normalise(number) ?? throw new ArgumentException($"'{number}' is not a phone number.", nameof(number));

        // Carriers send +15551230001 or 15551230001: both forms are the same subject.
        var forms = new[] { normalised, normalised.TrimStart('+'), "+" + normalised.TrimStart('+') };
        await using var command = _dataSource.CreateCommand(
            """
            SELECT c.id, c.organisation_id, o.name, c.started_at, c.tracking_number, c.disposition,
                   (SELECT count(*) FROM recordings r WHERE r.call_id = c.id)::int,
                   (SELECT count(*) FROM transcripts t WHERE t.call_id = c.id)::int,
                   EXISTS (SELECT 1 FROM call_attributions a WHERE a.call_id = c.id),
                   (SELECT count(*) FROM events e WHERE e.call_id = c.id)::int
              FROM calls c JOIN organisations o ON o.id = c.organisation_id
             WHERE c.caller_number = ANY($1)
               AND ($2::uuid IS NULL OR c.organisation_id = $2)
               AND ($3::uuid[] IS NULL OR c.organisation_id = ANY($3))
             ORDER BY c.started_at, c.id
            """);
        command.Parameters.Add(new() { Value = forms, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)organisationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = scope is null ? DBNull.Value : scope.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        var calls = new List<SubjectCall>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            calls.Add(new SubjectCall(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt32(6),
                reader.GetInt32(7),
                reader.GetBoolean(8),
                reader.GetInt32(9)));
        }

        return calls;
    }

    /// <summary>Writes the archive (manifest.json and every call's files) to <paramref name="output"/>; returns the calls exported.</summary>
    public async Task<IReadOnlyList<SubjectCall>> ExportAsync(string number, Guid? organisationId, IReadOnlyCollection<Guid>? scope, string actor, Stream output, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var calls = await FindAsync(number, organisationId, scope, cancellationToken).ConfigureAwait(false);
        var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        await using (zip.ConfigureAwait(false))
        {
            var manifest = new JsonObject
            {
                ["kind"] = "calltracking.subject-export",
                ["version"] = 1,
                ["number"] = Normalise(number),
                ["organisation_id"] = organisationId,
                ["generated_at"] = _time.GetUtcNow(),
                ["calls"] = new JsonArray([.. calls.Select(c => (JsonNode)new JsonObject
                {
                    ["call_id"] = c.CallId,
                    ["organisation"] = c.Organisation,
                    ["started_at"] = c.StartedAt,
                    ["folder"] = $"calls/{c.CallId}/",
                })]),
            };
            await PrivacyArchive.AddJsonAsync(zip, "manifest.json", manifest, cancellationToken).ConfigureAwait(false);
            await _archive.AddCallsAsync(zip, [.. calls.Select(c => c.CallId)], progress, cancellationToken).ConfigureAwait(false);
        }

        foreach (var organisation in calls.Select(c => c.OrganisationId).Distinct())
        {
            await _audit.RecordAsync("subject.exported", organisation, actor, Normalise(number)!, new { calls = calls.Count(c => c.OrganisationId == organisation) }, cancellationToken).ConfigureAwait(false);
        }

        return calls;
    }

    /// <summary>Erases every call found (see the class summary); returns them as they were found.</summary>
    public async Task<IReadOnlyList<SubjectCall>> EraseAsync(string number, Guid? organisationId, IReadOnlyCollection<Guid>? scope, string actor, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var calls = await FindAsync(number, organisationId, scope, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            await _deletion.DeleteAsync(call.CallId, DeletionTarget.Call, actor, "subject-erasure", scope, cancellationToken).ConfigureAwait(false);
            progress?.Report((i + 1, calls.Count));
        }

        foreach (var organisation in calls.Select(c => c.OrganisationId).Distinct())
        {
            await _audit.RecordAsync("subject.erased", organisation, actor, Normalise(number)!, new { calls = calls.Where(c => c.OrganisationId == organisation).Select(c => c.CallId).ToArray() }, cancellationToken).ConfigureAwait(false);
        }

        return calls;
    }
}
