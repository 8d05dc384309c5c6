using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// Writes calls into an export archive (zip): per call <c>calls/{id}/call.json</c> (the call, its legs, attribution,
/// tags, events and the rows of every other table with a <c>call_id</c> column), <c>transcript.json</c> (decrypted
/// segments) and <c>recording-N.opus</c> (the recording decrypted: plain Ogg Opus any player opens).
/// Secrets (hashes) are left out.
/// </summary>
public sealed class PrivacyArchive
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly RecordingReader _recordings;
    private readonly TranscriptCipher _transcripts;
    private readonly string _dataPath;

    public PrivacyArchive(NpgsqlDataSource dataSource, RecordingReader recordings, TranscriptCipher transcripts, string dataPath)
    {
        _dataSource = dataSource;
        _recordings = recordings;
        _transcripts = transcripts;
        _dataPath = dataPath;
    }

    /// <summary>Adds a JSON document to the archive.</summary>
    public static async Task AddJsonAsync(ZipArchive zip, string name, JsonNode? node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var bytes = Encoding.UTF8.GetBytes(node?.ToJsonString(PrivacyJson.Options) ?? "null");
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The rows of <paramref name="sql"/> (which must select one json column) as a JSON array.</summary>
    public async Task<JsonArray> RowsAsync(string sql, Guid id, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid });
        var rows = new JsonArray();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(JsonNode.Parse(reader.GetString(0)));
        }

        return rows;
    }

    /// <summary>Adds every call in <paramref name="callIds"/>; reports (done, total) after each.</summary>
    public async Task<int> AddCallsAsync(ZipArchive zip, IReadOnlyList<Guid> callIds, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        var linked = await CallLinkedTables.ListAsync(_dataSource, "call_id", cancellationToken).ConfigureAwait(false);
        var recordingsWritten = 0;
        for (var i = 0; i < callIds.Count; i++)
        {
            var id = callIds[i];
            var folder = $"calls/{id}/";
            var call = new JsonObject
            {
                ["call"] = (await RowsAsync("SELECT row_to_json(c)::text FROM calls c WHERE c.id = $1", id, cancellationToken).ConfigureAwait(false)).FirstOrDefault()?.DeepClone(),
            };
            foreach (var table in linked)
            {
                if (table is "transcript_segments" or "transcripts" or "recordings")
                {
                    continue;
                }

                call[table.Trim('"')] = await RowsAsync($"SELECT (to_jsonb(t) - 'secret_hash' - 'password_hash' - 'wrapped_key')::text FROM {table} t WHERE t.call_id = $1", id, cancellationToken).ConfigureAwait(false);
            }

            var recordings = new JsonArray();
            var paths = new List<string>();
            await using (var command = _dataSource.CreateCommand("SELECT id, path, duration_ms, bytes, error, created_at FROM recordings WHERE call_id = $1 ORDER BY created_at"))
            {
                command.Parameters.Add(new() { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var file = reader.IsDBNull(1) ? null : $"recording-{paths.Count + 1}.opus";
                    if (!reader.IsDBNull(1))
                    {
                        paths.Add(Path.GetFullPath(reader.GetString(1), _dataPath));
                    }

                    recordings.Add(new JsonObject
                    {
                        ["id"] = reader.GetGuid(0),
                        ["file"] = file,
                        ["duration_ms"] = reader.IsDBNull(2) ? null : reader.GetInt64(2),
                        ["error"] = reader.IsDBNull(4) ? null : reader.GetString(4),
                        ["created_at"] = reader.GetFieldValue<DateTimeOffset>(5),
                    });
                }
            }

            call["recordings"] = recordings;
            await AddJsonAsync(zip, folder + "call.json", call, cancellationToken).ConfigureAwait(false);
            await AddJsonAsync(zip, folder + "transcript.json", await TranscriptsAsync(id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

            for (var n = 0; n < paths.Count; n++)
            {
                var audio = await _recordings.OpenAsync(paths[n], cancellationToken).ConfigureAwait(false);
                if (audio is null)
                {
                    continue;
                }

                await using (audio.ConfigureAwait(false))
                {
                    // Opus is compressed already.
                    var entry = zip.CreateEntry($"{folder}recording-{n + 1}.opus", CompressionLevel.NoCompression);
                    var target = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await using (target.ConfigureAwait(false))
                    {
                        await audio.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                    }
                }

                recordingsWritten++;
            }

            progress?.Report((i + 1, callIds.Count));
        }

        return recordingsWritten;
    }

    private async Task<JsonArray> TranscriptsAsync(Guid callId, CancellationToken cancellationToken)
    {
        var transcripts = new JsonArray();
        var rows = new List<(Guid Id, string Status, string? Language, Guid? KeyId, DateTimeOffset Created)>();
        await using (var command = _dataSource.CreateCommand("SELECT id, status, language, data_key_id, created_at FROM transcripts WHERE call_id = $1 ORDER BY created_at"))
        {
            command.Parameters.Add(new() { Value = callId, NpgsqlDbType = NpgsqlDbType.Uuid });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.GetFieldValue<DateTimeOffset>(4)));
            }
        }

        foreach (var row in rows)
        {
            var key = await _transcripts.KeyAsync(row.KeyId, cancellationToken).ConfigureAwait(false);
            var segments = new JsonArray();
            await using (var command = _dataSource.CreateCommand("SELECT speaker, start_ms, end_ms, text, text_sealed, confidence FROM transcript_segments WHERE transcript_id = $1 ORDER BY start_ms, id"))
            {
                command.Parameters.Add(new() { Value = row.Id, NpgsqlDbType = NpgsqlDbType.Uuid });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    segments.Add(new JsonObject
                    {
                        ["speaker"] = reader.GetString(0),
                        ["start_ms"] = reader.GetInt64(1),
                        ["end_ms"] = reader.GetInt64(2),
                        ["text"] = TranscriptCipher.TextOf(key, row.KeyId, reader.GetString(3), reader.IsDBNull(4) ? null : (byte[])reader.GetValue(4)),
                        ["confidence"] = reader.GetFloat(5),
                    });
                }
            }

            transcripts.Add(new JsonObject
            {
                ["id"] = row.Id,
                ["status"] = row.Status,
                ["language"] = row.Language,
                ["created_at"] = row.Created,
                ["segments"] = segments,
            });
        }

        return transcripts;
    }
}
