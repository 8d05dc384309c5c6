using System.Buffers.Binary;
using System.Security.Cryptography;
using CallTracking.Engine.Privacy;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.Media.Recording;
using CallTracking.Media.Recording.Encryption;
using Npgsql;
using NpgsqlTypes;

namespace CallTracking.IntegrationTests.Privacy;

/// <summary>
/// A migrated database of its own (through <c>calltracking migrate</c>), the master key where the command line
/// finds it (<c>{test}/data/keys/master.key</c>), and helpers that make organisations, calls, real encrypted
/// recordings (Ogg Opus of a tone, as the engine writes them) and sealed transcripts.
/// </summary>
internal sealed class PrivacyRig : IAsyncDisposable
{
    private PrivacyRig(TestDirectory directory, string database, NpgsqlDataSource dataSource, MasterKeyRing ring)
    {
        Directory = directory;
        Database = database;
        DataSource = dataSource;
        Ring = ring;
        Keys = new DataKeyStore(dataSource, ring);
        Recordings = new RecordingReader(Keys);
    }

    public TestDirectory Directory { get; }

    public string Database { get; }

    public NpgsqlDataSource DataSource { get; }

    public MasterKeyRing Ring { get; }

    public DataKeyStore Keys { get; }

    public RecordingReader Recordings { get; }

    public string DataPath => Directory.SubDirectory("data");

    public string MasterKeyPath => Path.Combine(DataPath, "keys", "master.key");

    public static async Task<PrivacyRig> CreateAsync(PostgresServer server, TestDirectory directory)
    {
        var database = await server.CreateDatabaseAsync();
        var migrated = await EngineCli.RunAsync(directory, database, "migrate");
        Assert.True(migrated.Code == 0, migrated.Err);
        var ring = MasterKeyFile.LoadOrCreate(Path.Combine(directory.SubDirectory("data"), "keys", "master.key"));
        return new PrivacyRig(directory, database, NpgsqlDataSource.Create(database), ring);
    }

    public Task<(int Code, string Out, string Err)> CliAsync(params string[] arguments) => EngineCli.RunAsync(Directory, Database, arguments);

    public async Task<Guid> OrganisationAsync(string name, int? recordingsDays = null, int? transcriptsDays = null, int? callsDays = null) =>
        await ScalarAsync<Guid>(
            "insert into organisations (name, retain_recordings_days, retain_transcripts_days, retain_calls_days) values ($1, $2, $3, $4) returning id",
            name, recordingsDays, transcriptsDays, callsDays);

    public async Task<Guid> CampaignAsync(Guid organisation, string name, int? recordingsDays = null, int? transcriptsDays = null, int? callsDays = null) =>
        await ScalarAsync<Guid>(
            "insert into campaigns (organisation_id, name, retain_recordings_days, retain_transcripts_days, retain_calls_days) values ($1, $2, $3, $4, $5) returning id",
            organisation, name, recordingsDays, transcriptsDays, callsDays);

    public async Task<Guid> CallAsync(Guid organisation, string caller, DateTimeOffset startedAt, Guid? campaign = null, bool ended = true) =>
        await ScalarAsync<Guid>(
            """
            insert into calls (organisation_id, tracking_number, campaign_id, sip_call_id, caller_number, started_at, ended_at, disposition)
            values ($1, '+15551230001', $2, $3, $4, $5, case when $6 then $5 + interval '1 minute' end, case when $6 then 'answered' end) returning id
            """,
            organisation, campaign, Guid.NewGuid().ToString("N") + "@test", caller, startedAt, ended);

    /// <summary>A two-second tone recorded as the engine records (Ogg Opus through the encrypting stream), its key stored; returns (path, key id, Ogg bytes).</summary>
    public async Task<(string Path, Guid KeyId, byte[] Ogg)> RecordingAsync(Guid call)
    {
        var folder = System.IO.Path.Combine(DataPath, "recordings");
        System.IO.Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, call.ToString("N") + ".opus");
        var (row, key) = Keys.NewKey(DataKeyStore.RecordingPurpose, null, path);
        await Keys.StoreAsync(row, CancellationToken.None);
        using var plain = new MemoryStream();
        await using (var file = File.Create(path))
        {
            using var encrypting = new EncryptingRecordingStream(file, new RecordingDataKey(row.Id, key), 42);
            using var encoder = new OpusRecordingEncoder();
            using var recorder = new CallRecorder(new Tee(plain, encrypting), encoder, TimeProvider.System, 9);
            var frame = new short[160];
            for (var f = 0; f < 100; f++)
            {
                for (var i = 0; i < frame.Length; i++)
                {
                    frame[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * ((f * 160) + i) / 8000.0));
                }

                recorder.WriteFrame(frame, default);
            }

            recorder.Complete();
        }

        await ExecuteAsync("insert into recordings (call_id, path, duration_ms, bytes, codec, channels) values ($1, $2, 2000, $3, 'opus', 2)", call, path, new FileInfo(path).Length);
        return (path, row.Id, plain.ToArray());
    }

    /// <summary>A ready transcript with one sealed segment; returns its key id.</summary>
    public async Task<Guid> TranscriptAsync(Guid call, string text)
    {
        var cipher = new TranscriptCipher(Keys);
        var (row, key) = cipher.NewKey(call);
        await Keys.StoreAsync(row, CancellationToken.None);
        var transcript = await ScalarAsync<Guid>(
            "insert into transcripts (call_id, status, full_text, search, data_key_id, full_text_sealed) values ($1, 'ready', '', to_tsvector('simple', $2), $3, $4) returning id",
            call, text, row.Id, TranscriptCipher.Seal(key, row.Id, text));
        await ExecuteAsync(
            "insert into transcript_segments (transcript_id, speaker, start_ms, end_ms, text, confidence, text_sealed) values ($1, 'caller', 0, 2000, '', 0.9, $2)",
            transcript, TranscriptCipher.Seal(key, row.Id, text));
        return row.Id;
    }

    public async Task<long> CountAsync(string sql, params object?[] values) => await ScalarAsync<long>(sql, values);

    public async Task<T> ScalarAsync<T>(string sql, params object?[] values)
    {
        await using var command = Command(sql, values);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params object?[] values)
    {
        await using var command = Command(sql, values);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Tries every data key still stored against an encrypted file: true when any of them opens it.</summary>
    public async Task<bool> AnyStoredKeyOpensAsync(byte[] encryptedFile)
    {
        await using var command = DataSource.CreateCommand("select id, master_key_id, wrapped_key from data_keys");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var key = Ring.Unwrap(reader.GetString(1), reader.GetGuid(0), (byte[])reader.GetValue(2));
            try
            {
                using var stream = new DecryptingRecordingStream(new MemoryStream(encryptedFile), key);
                stream.CopyTo(Stream.Null);
                return true;
            }
            catch (InvalidDataException)
            {
            }
        }

        return false;
    }

    public static Guid KeyIdOf(byte[] encryptedFile)
    {
        Assert.True(EncryptedRecordingFormat.TryReadHeader(encryptedFile, out var id));
        return id;
    }

    /// <summary>Every Opus packet of an Ogg stream (pages reassembled), audio only (after the two header packets).</summary>
    public static List<byte[]> OpusPackets(ReadOnlySpan<byte> ogg)
    {
        var packets = new List<byte[]>();
        var current = new List<byte>();
        while (!ogg.IsEmpty && OggPageReader.TryRead(ogg, out var page, out var consumed) == OggPageReadResult.Page)
        {
            var offset = 0;
            foreach (var lacing in page.SegmentTable)
            {
                current.AddRange(page.Body.Slice(offset, lacing).ToArray());
                offset += lacing;
                if (lacing < 255)
                {
                    packets.Add([.. current]);
                    current.Clear();
                }
            }

            ogg = ogg[consumed..];
        }

        return packets.Skip(2).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Ring.Dispose();
        await DataSource.DisposeAsync();
    }

    private NpgsqlCommand Command(string sql, object?[] values)
    {
        var command = DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value },
                DateTimeOffset time => new NpgsqlParameter { Value = time, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }

    private sealed class Tee(Stream first, Stream second) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => first.Length;

        public override long Position { get => first.Position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
            first.Flush();
            second.Flush();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            first.Write(buffer, offset, count);
            second.Write(buffer, offset, count);
        }
    }
}
