using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CallTracking.Engine.Privacy;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.IntegrationTests.Media;
using CallTracking.IntegrationTests.Sip;
using Npgsql;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Privacy;

/// <summary>
/// The engine as a process, a real call from sipp with known speech: the recording on disk is encrypted (none of
/// its Opus packets appear in the file), plays back through the API (decrypted, seekable; opusdec decodes the
/// caller's speech); after DELETE no file, no key and no API path yields the audio, and a backup copy of the old
/// file opens with none of the keys the engine still holds.
/// </summary>
[Collection(SippCollection.Name)]
public sealed class EncryptionAtRestTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Recording_is_encrypted_on_disk_plays_through_the_api_and_after_deletion_nothing_yields_it()
    {
        var directory = TestDirectory.Create();
        var database = await server.CreateDatabaseAsync();
        var caller = await MediaCalls.CallerAudioAsync(directory);
        var pcap = MediaCalls.WritePcap(directory, caller, G711Law.MuLaw);
        var sipPort = FreePorts.Next();
        var config = new
        {
            Sip = new { Listen = new[] { $"udp:127.0.0.1:{sipPort}" } },
            Media = new { Address = "127.0.0.1" },
            Trunks = new[] { new { Name = "carrier", Allow = new[] { "127.0.0.1/32" } } },
            Numbers = new[] { new { Number = EngineConfigs.TrackedNumber, Name = "Google Ads", Organisation = "Alpha", Plan = new { Announcement = "none" } } },
        };
        await using var engine = await EngineProcess.StartAsync(directory, sipPort, config, $"--Database:ConnectionString={database}");
        var key = await EngineCli.RunAsync(directory, database, "keys", "create", "--org", "Alpha", "--name", "privacy");
        Assert.True(key.Code == 0, key.Err);
        using var http = new HttpClient { BaseAddress = await engine.WaitForHttpBaseAddressAsync() };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Out.Trim());

        var uac = await Sipp.RunAsync(directory, SippAgainstEngine.At(engine, new SippOptions
        {
            Name = "uac",
            Scenario = SippAudio.PlayAudioScenario(G711Law.MuLaw),
            Service = EngineConfigs.TrackedNumber,
            Calls = 1,
            Keys = SippAudio.PlayAudioKeys(pcap, caller.Duration + TimeSpan.FromMilliseconds(500)),
            Timeout = caller.Duration + TimeSpan.FromSeconds(10),
        }));
        SippAgainstEngine.AssertAllCallsSucceeded(uac, 1, engine);
        var sipCallId = uac.Messages[0].CallId!;
        var ready = await MediaCalls.WaitForRecordingAsync(engine, sipCallId);
        await using var dataSource = NpgsqlDataSource.Create(database);
        var callId = await WaitForRecordingRowAsync(dataSource, sipCallId);

        // On disk: our format, its key named in the header, and not one Opus packet of the recording in the clear.
        var encrypted = await File.ReadAllBytesAsync(ready.Path);
        Assert.True(CallTracking.Media.Recording.Encryption.EncryptedRecordingFormat.IsEncrypted(encrypted), "the recording is not encrypted");
        var keyId = PrivacyRig.KeyIdOf(encrypted);
        Assert.Equal(1, await CountAsync(dataSource, "select count(*) from data_keys where id = $1 and purpose = 'recording'", keyId));

        // Through the API: decrypted Ogg Opus whose packets are all absent from the file, and opusdec hears the caller.
        var response = await http.GetAsync(new Uri($"/v1/calls/{callId}/recording", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ogg = await response.Content.ReadAsByteArrayAsync();
        Assert.True(ogg.AsSpan().StartsWith("OggS"u8), "the API did not serve Ogg");
        var packets = PrivacyRig.OpusPackets(ogg).Where(p => p.Length >= 8).ToList();
        Assert.True(packets.Count >= caller.Duration.TotalSeconds * 40, $"{packets.Count} packets");
        Assert.All(packets, packet => Assert.True(encrypted.AsSpan().IndexOf(packet) < 0, "an Opus packet of the recording is in the file in the clear"));
        var played = directory.File("played.opus");
        await File.WriteAllBytesAsync(played, ogg);
        var decoded = await OpusFiles.DecodeStereoAsync(played);
        var match = MediaCalls.ChunkedAlign(caller, decoded.Left, TimeSpan.FromSeconds(2));
        output.WriteLine($"served {ogg.Length} bytes for a {encrypted.Length}-byte file; {packets.Count} packets; {match}");
        Assert.True(match.Coefficient >= 0.9, match.ToString());

        // Seekable: a range in the middle is the same bytes.
        using (var range = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v1/calls/{callId}/recording", UriKind.Relative)))
        {
            range.Headers.Range = new RangeHeaderValue(1000, 2999);
            var partial = await http.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(ogg.AsSpan(1000, 2000).ToArray(), await partial.Content.ReadAsByteArrayAsync());
        }

        // A backup copy of the file, taken before the deletion.
        var backup = directory.File("backup.opus");
        File.Copy(ready.Path, backup);

        var deleted = await http.DeleteAsync(new Uri($"/v1/calls/{callId}/recording", UriKind.Relative));
        var body = await deleted.Content.ReadAsStringAsync();
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(1, JsonNode.Parse(body)!["keysDestroyed"]!.GetValue<int>());

        Assert.False(File.Exists(ready.Path), "the file is still there");
        Assert.Equal(0, await CountAsync(dataSource, "select count(*) from data_keys where id = $1", keyId));
        Assert.Equal(0, await CountAsync(dataSource, "select count(*) from recordings where call_id = $1", callId));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"/v1/calls/{callId}/recording", UriKind.Relative))).StatusCode);

        // The tombstone, the log and the event.
        Assert.Equal(1, await CountAsync(dataSource, "select count(*) from calls where id = $1 and recording_deleted_at is not null and deleted_by like 'api-key:%'", callId));
        Assert.Equal(1, await CountAsync(dataSource, "select count(*) from data_removals where call_id = $1 and what = 'recording' and reason = 'request'", callId));
        Assert.Equal(1, await CountAsync(dataSource, "select count(*) from events where call_id = $1 and kind = 'call.data_deleted' and payload->>'what' = 'recording'", callId));

        // Nothing the engine still holds opens the backup: every data key left, unwrapped with the master key.
        using var ring = MasterKeyFile.LoadOrCreate(Path.Combine(engine.DataPath, "keys", "master.key"));
        var remaining = await CountAsync(dataSource, "select count(*) from data_keys");
        await using (var rig = new KeyProbe(dataSource, ring))
        {
            Assert.False(await rig.AnyOpensAsync(await File.ReadAllBytesAsync(backup)), $"one of the {remaining} remaining keys opens the deleted recording");
        }
    }

    private static async Task<Guid> WaitForRecordingRowAsync(NpgsqlDataSource dataSource, string sipCallId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            await using var command = dataSource.CreateCommand("select c.id from calls c join recordings r on r.call_id = c.id where c.sip_call_id = $1 and r.path is not null");
            command.Parameters.Add(new() { Value = sipCallId });
            if (await command.ExecuteScalarAsync() is Guid id)
            {
                return id;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no recording row for {sipCallId}");
            await Task.Delay(100);
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql, Guid id)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = id });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Tries every stored data key (unwrapped with the engine's master key) on a file.</summary>
    private sealed class KeyProbe(NpgsqlDataSource dataSource, MasterKeyRing ring) : IAsyncDisposable
    {
        public async Task<bool> AnyOpensAsync(byte[] file)
        {
            await using var command = dataSource.CreateCommand("select id, master_key_id, wrapped_key from data_keys");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var key = ring.Unwrap(reader.GetString(1), reader.GetGuid(0), (byte[])reader.GetValue(2));
                try
                {
                    using var stream = new CallTracking.Media.Recording.Encryption.DecryptingRecordingStream(new MemoryStream(file), key);
                    stream.CopyTo(Stream.Null);
                    return true;
                }
                catch (InvalidDataException)
                {
                }
            }

            return false;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
