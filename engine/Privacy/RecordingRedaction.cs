using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CallTracking.Engine.Storage;
using CallTracking.Engine.Transcription;
using CallTracking.Media.Recording;
using CallTracking.Media.Recording.Encryption;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// <c>Privacy:RedactAudio</c>: after a transcript is stored, writes the redacted copy of its recording — the audio
/// spans that held redacted words (<see cref="TranscriptPrivacy.Apply"/>) replaced by a tone on the speaker's
/// channel (<see cref="RecordingRedactor"/>) — as <c>&lt;call-id&gt;.redacted.opus</c> next to the original, encrypted
/// under its own data key when the engine has a key store; records it on the recording row
/// (<c>redacted_path</c>) with a <c>recording.redacted</c> event. Runs after the transcript is committed: a
/// failure here loses nothing, it is logged and counted (<c>calltracking.privacy.audio_redactions_failed</c>).
/// </summary>
public sealed partial class RecordingRedaction
{
    public const string EventKind = "recording.redacted";
    public const string FileSuffix = ".redacted.opus";

    private readonly NpgsqlDataSource _dataSource;
    private readonly CallRecordStore _store;
    private readonly RecordingReader _reader;
    private readonly DataKeyStore? _keys;
    private readonly string _dataPath;
    private readonly TimeProvider _time;
    private readonly ILogger<RecordingRedaction> _logger;
    private readonly Counter<long> _made;
    private readonly Counter<long> _failed;

    public RecordingRedaction(NpgsqlDataSource dataSource, CallRecordStore store, RecordingReader reader, DataKeyStore? keys, string dataPath, TimeProvider time, IMeterFactory meters, ILogger<RecordingRedaction> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(dataPath);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _store = store;
        _reader = reader;
        _keys = keys;
        _dataPath = dataPath;
        _time = time;
        _logger = logger;
        var meter = meters.Create("CallTracking.Privacy");
        _made = meter.CreateCounter<long>("calltracking.privacy.audio_redactions", description: "Redacted copies of recordings written");
        _failed = meter.CreateCounter<long>("calltracking.privacy.audio_redactions_failed", description: "Redacted copies of recordings that could not be written (the transcript is stored regardless)");
    }

    /// <summary>
    /// Makes the copy for the job's recording from the transcript's raw (unredacted) segments; false when there was
    /// nothing to redact, a copy exists already, or it failed (logged and counted, never thrown but for cancellation).
    /// </summary>
    public async Task<bool> TryRedactAsync(TranscriptionJob job, IReadOnlyList<TranscriptSegment> segments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(segments);
        try
        {
            return await RedactAsync(job, segments, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or UnauthorizedAccessException or InvalidDataException or CryptographicException or Media.Codecs.Opus.OpusException)
        {
            _failed.Add(1);
            LogFailed(_logger, job.CallId, e.Message);
            return false;
        }
    }

    /// <summary>As <see cref="TryRedactAsync"/>, but failures are thrown.</summary>
    public async Task<bool> RedactAsync(TranscriptionJob job, IReadOnlyList<TranscriptSegment> segments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(segments);
        if (string.IsNullOrEmpty(job.Path))
        {
            return false;
        }

        // The same spans the stored transcript was redacted by: paused spans first, then the redactor.
        var paused = new List<(long StartMs, long EndMs)>();
        string? existing = null;
        await using (var command = _dataSource.CreateCommand(
            "SELECT r.redacted_path, (s->>'startMs')::bigint, (s->>'endMs')::bigint FROM recordings r LEFT JOIN LATERAL jsonb_array_elements(coalesce(r.paused_spans, '[]'::jsonb)) s ON true WHERE r.id = $1"))
        {
            command.Parameters.Add(new() { Value = job.RecordingId, NpgsqlDbType = NpgsqlDbType.Uuid });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                existing ??= reader.IsDBNull(0) ? null : reader.GetString(0);
                if (!reader.IsDBNull(1))
                {
                    paused.Add((reader.GetInt64(1), reader.GetInt64(2)));
                }
            }
        }

        var spans = TranscriptPrivacy.Apply(segments, paused).AudioSpans;
        if (spans.Count == 0 || existing is not null)
        {
            return false;
        }

        var source = Path.GetFullPath(job.Path, _dataPath);
        var original = await _reader.ReadAllAsync(source, cancellationToken).ConfigureAwait(false)
            ?? throw new FileNotFoundException("the recording is gone or its data key was destroyed", source);

        // Stored in the same form as the original's path (relative to the data folder, or absolute).
        var stored = Path.Combine(Path.GetDirectoryName(job.Path) ?? string.Empty, job.CallId.ToString("D") + FileSuffix);
        var target = Path.GetFullPath(stored, _dataPath);
        var temporary = target + ".tmp";
        var tones = spans.Select(s => new ToneSpan(s.Speaker == Speaker.Caller ? 0 : 1, s.StartMs, s.EndMs)).ToList();

        // The copy's own key is stored before a byte is written, as for a recording (RecordingKeySource): the file
        // never exists without the key that deletion shreds with it.
        WrappedDataKey? keyRow = null;
        RecordingDataKey? key = null;
        if (_keys is not null)
        {
            var (row, clear) = _keys.NewKey(DataKeyStore.RecordingPurpose, job.CallId, target);
            await _keys.StoreAsync(row, cancellationToken).ConfigureAwait(false);
            keyRow = row;
            key = new RecordingDataKey(row.Id, clear);
        }

        try
        {
            var serial = BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4));
            await Task.Run(
                () =>
                {
                    using var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
                    using var encoder = new OpusRecordingEncoder();
                    if (key is null)
                    {
                        RecordingRedactor.Redact(original, tones, file, encoder, _time, serial);
                    }
                    else
                    {
                        using var encrypted = new EncryptingRecordingStream(file, key, BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4)));
                        RecordingRedactor.Redact(original, tones, encrypted, encoder, _time, serial);
                    }
                },
                cancellationToken).ConfigureAwait(false);
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            // Nothing names the half-written copy: its file and its key go.
            File.Delete(temporary);
            if (keyRow is not null)
            {
                await ShredAsync(keyRow.Id, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
        finally
        {
            if (key is not null)
            {
                CryptographicOperations.ZeroMemory(key.Key);
            }
        }

        var recorded = await _store.WriteAsync(
            async (connection, transaction, events) =>
            {
                await using (var update = new NpgsqlCommand("UPDATE recordings SET redacted_path = $2, redacted_at = $3 WHERE id = $1 AND redacted_path IS NULL", connection, transaction))
                {
                    update.Parameters.Add(new() { Value = job.RecordingId, NpgsqlDbType = NpgsqlDbType.Uuid });
                    update.Parameters.Add(new() { Value = stored, NpgsqlDbType = NpgsqlDbType.Text });
                    update.Parameters.Add(new() { Value = _time.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
                    if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        return false;
                    }
                }

                var payload = new JsonObject
                {
                    ["callId"] = job.CallId,
                    ["recordingId"] = job.RecordingId,
                    ["spans"] = new JsonArray([.. spans.Select(s => (JsonNode)new JsonObject
                    {
                        ["speaker"] = TranscriptSegment.SpeakerText(s.Speaker),
                        ["startMs"] = s.StartMs,
                        ["endMs"] = s.EndMs,
                        ["label"] = s.Label,
                    })]),
                };
                await events(job.OrganisationId, job.CallId, EventKind, payload.ToJsonString(), cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        if (!recorded)
        {
            // The recording row is gone (deleted meanwhile) or another worker recorded its copy: this one is not named anywhere.
            File.Delete(target);
            if (keyRow is not null)
            {
                await ShredAsync(keyRow.Id, cancellationToken).ConfigureAwait(false);
            }

            return false;
        }

        _made.Add(1);
        LogRedacted(_logger, job.CallId, spans.Count, stored);
        return true;
    }

    private async Task ShredAsync(Guid keyId, CancellationToken cancellationToken)
    {
        await using var shred = _dataSource.CreateCommand("DELETE FROM data_keys WHERE id = $1");
        shred.Parameters.Add(new() { Value = keyId, NpgsqlDbType = NpgsqlDbType.Uuid });
        await shred.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Call {CallId}: redacted copy of the recording written ({Spans} span(s) toned out): {Path}")]
    private static partial void LogRedacted(ILogger logger, Guid callId, int spans, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Call {CallId}: the redacted copy of the recording could not be written (the transcript is stored): {Error}")]
    private static partial void LogFailed(ILogger logger, Guid callId, string error);
}
