using System.IO.Compression;
using System.Text.Json.Nodes;
using CallTracking.Engine.Privacy;
using CallTracking.IntegrationTests.Audio;
using CallTracking.IntegrationTests.Events;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.Media.Recording.Encryption;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CallTracking.IntegrationTests.Privacy;

/// <summary>
/// Retention, requests by caller number and key rotation on a real PostgreSQL with real encrypted recordings:
/// retention under a clock the test moves, subject find/export/erase through the command line across two
/// organisations (the archive opens and its audio decodes with opusdec), rotate-master keeping everything readable.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DataLifecycleTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private const string Subject = "+447700900123";

    [Fact]
    public async Task Retention_removes_what_has_expired_by_the_clock_and_keeps_the_rest()
    {
        var directory = TestDirectory.Create();
        await using var rig = await PrivacyRig.CreateAsync(server, directory);
        var time = new ManualTime();
        var now = time.GetUtcNow();
        var shortOrg = await rig.OrganisationAsync("Short", recordingsDays: 30, transcriptsDays: 60, callsDays: 90);
        var keepOrg = await rig.OrganisationAsync("Keep");
        var longCampaign = await rig.CampaignAsync(shortOrg, "Long", recordingsDays: 1000);

        var fresh = await rig.CallAsync(shortOrg, "+15550000001", now.AddDays(-20));
        var oldRecording = await rig.CallAsync(shortOrg, "+15550000002", now.AddDays(-45));
        var oldTranscript = await rig.CallAsync(shortOrg, "+15550000003", now.AddDays(-75));
        var oldCall = await rig.CallAsync(shortOrg, "+15550000004", now.AddDays(-100));
        var campaignKeeps = await rig.CallAsync(shortOrg, "+15550000005", now.AddDays(-45), longCampaign);
        var keptForever = await rig.CallAsync(keepOrg, "+15550000006", now.AddDays(-1000));
        var inProgress = await rig.CallAsync(shortOrg, "+15550000007", now.AddDays(-100), ended: false);
        var all = new[] { fresh, oldRecording, oldTranscript, oldCall, campaignKeeps, keptForever, inProgress };
        var files = new Dictionary<Guid, (string Path, Guid Key)>();
        var transcriptKeys = new Dictionary<Guid, Guid>();
        foreach (var call in all)
        {
            var (path, key, _) = await rig.RecordingAsync(call);
            files[call] = (path, key);
            transcriptKeys[call] = await rig.TranscriptAsync(call, "we open at nine");
        }

        var sweeper = Sweeper(rig, time);
        var first = await sweeper.SweepAsync(CancellationToken.None);
        output.WriteLine($"first sweep: {first}");
        Assert.Equal(new RetentionSweepResult(Recordings: 3, Transcripts: 2, Calls: 1), first);

        async Task AssertRecording(Guid call, bool kept)
        {
            Assert.Equal(kept, File.Exists(files[call].Path));
            Assert.Equal(kept ? 1 : 0, await rig.CountAsync("select count(*) from data_keys where id = $1", files[call].Key));
            Assert.Equal(kept ? 1 : 0, await rig.CountAsync("select count(*) from recordings where call_id = $1", call));
        }

        async Task AssertTranscript(Guid call, bool kept)
        {
            Assert.Equal(kept ? 1 : 0, await rig.CountAsync("select count(*) from data_keys where id = $1", transcriptKeys[call]));
            Assert.Equal(kept ? 1 : 0, await rig.CountAsync("select count(*) from transcripts where call_id = $1", call));
        }

        await AssertRecording(fresh, kept: true);
        await AssertTranscript(fresh, kept: true);
        await AssertRecording(oldRecording, kept: false);
        await AssertTranscript(oldRecording, kept: true);
        await AssertRecording(oldTranscript, kept: false);
        await AssertTranscript(oldTranscript, kept: false);
        Assert.Equal(0, await rig.CountAsync("select count(*) from calls where id = $1", oldCall));
        await AssertRecording(oldCall, kept: false);
        await AssertRecording(campaignKeeps, kept: true);
        await AssertTranscript(campaignKeeps, kept: true);
        await AssertRecording(keptForever, kept: true);
        await AssertTranscript(keptForever, kept: true);
        await AssertRecording(inProgress, kept: true);
        Assert.Equal(1, await rig.CountAsync("select count(*) from calls where id = $1", inProgress));

        // The tombstones and the log of what went.
        Assert.Equal(1, await rig.CountAsync("select count(*) from calls where id = $1 and recording_deleted_at is not null and transcript_deleted_at is null and deleted_by = 'retention'", oldRecording));
        Assert.Equal(6, await rig.CountAsync("select count(*) from data_removals where removed_by = 'retention' and reason = 'retention'"));
        Assert.Equal(1, await rig.CountAsync("select count(*) from data_removals where call_id = $1 and what = 'call'", oldCall));

        // Nothing more is due until the clock moves; 12 days on, the fresh call's recording (now 32 days old) goes and nothing else is due yet.
        Assert.Equal(new RetentionSweepResult(0, 0, 0), await sweeper.SweepAsync(CancellationToken.None));
        time.Offset = TimeSpan.FromDays(12);
        Assert.Equal(new RetentionSweepResult(1, 0, 0), await sweeper.SweepAsync(CancellationToken.None));
        await AssertRecording(fresh, kept: false);
        await AssertTranscript(fresh, kept: true);
        await AssertRecording(campaignKeeps, kept: true);
    }

    [Fact]
    public async Task Subject_find_export_and_erase_touch_only_the_organisation_asked_for()
    {
        var directory = TestDirectory.Create();
        await using var rig = await PrivacyRig.CreateAsync(server, directory);
        var alpha = await rig.OrganisationAsync("Alpha");
        var beta = await rig.OrganisationAsync("Beta");
        var now = DateTimeOffset.UtcNow;
        var alphaCall = await rig.CallAsync(alpha, Subject, now.AddHours(-2));
        var alphaOther = await rig.CallAsync(alpha, "+447700900999", now.AddHours(-1));
        var betaCall = await rig.CallAsync(beta, Subject, now.AddHours(-3));
        var alphaRecording = await rig.RecordingAsync(alphaCall);
        var alphaOtherRecording = await rig.RecordingAsync(alphaOther);
        var betaRecording = await rig.RecordingAsync(betaCall);
        var alphaTranscript = await rig.TranscriptAsync(alphaCall, "my card ends four two four two");
        await rig.TranscriptAsync(betaCall, "hello from beta");
        await rig.ExecuteAsync("insert into call_attributions (call_id, organisation_id, confidence, utm_source) values ($1, $2, 'exact', 'google')", alphaCall, alpha);

        var found = await rig.CliAsync("subject", "find", Subject, "--org", "Alpha");
        output.WriteLine(found.Out + found.Err);
        Assert.True(found.Code == 0, found.Err);
        Assert.Contains(alphaCall.ToString(), found.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(betaCall.ToString(), found.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(alphaOther.ToString(), found.Out, StringComparison.Ordinal);
        var everywhere = await rig.CliAsync("subject", "find", "+44 7700 900123");
        Assert.Contains(betaCall.ToString(), everywhere.Out, StringComparison.Ordinal);
        Assert.Contains(alphaCall.ToString(), everywhere.Out, StringComparison.Ordinal);

        // Export: one archive, the call's JSON, its decrypted transcript and its audio, which opusdec plays.
        var archive = directory.File("subject.zip");
        var exported = await rig.CliAsync("subject", "export", Subject, "--org", "Alpha", "--output", archive);
        output.WriteLine(exported.Out + exported.Err);
        Assert.True(exported.Code == 0, exported.Err);
        Assert.Contains("exporting calls [", exported.Out, StringComparison.Ordinal);
        using (var zip = ZipFile.OpenRead(archive))
        {
            var manifest = JsonNode.Parse(await ReadEntryAsync(zip, "manifest.json"))!;
            Assert.Equal(Subject, manifest["number"]!.GetValue<string>());
            Assert.Single(manifest["calls"]!.AsArray());
            Assert.Null(zip.Entries.FirstOrDefault(e => e.FullName.Contains(betaCall.ToString(), StringComparison.Ordinal)));
            var call = JsonNode.Parse(await ReadEntryAsync(zip, $"calls/{alphaCall}/call.json"))!;
            Assert.Equal(Subject, call["call"]!["caller_number"]!.GetValue<string>());
            Assert.Equal("google", call["call_attributions"]![0]!["utm_source"]!.GetValue<string>());
            var transcript = await ReadEntryAsync(zip, $"calls/{alphaCall}/transcript.json");
            Assert.Contains("my card ends four two four two", transcript, StringComparison.Ordinal);
            var audio = directory.File("exported.opus");
            zip.GetEntry($"calls/{alphaCall}/recording-1.opus")!.ExtractToFile(audio);
            Assert.Equal(alphaRecording.Ogg, await File.ReadAllBytesAsync(audio));
            var decoded = await OpusFiles.DecodeStereoAsync(audio);
            Assert.InRange(decoded.Left.Duration.TotalSeconds, 1.9, 2.1);
            Assert.False(Levels.IsSilent(decoded.Left), "the exported recording is silent");
        }

        // Erase: refused without --yes; then Alpha's call is shredded and scrubbed, Beta's and Alpha's other call untouched.
        var refused = await rig.CliAsync("subject", "erase", Subject, "--org", "Alpha");
        Assert.Equal(2, refused.Code);
        Assert.True(File.Exists(alphaRecording.Path));
        var erased = await rig.CliAsync("subject", "erase", Subject, "--org", "Alpha", "--yes");
        output.WriteLine(erased.Out + erased.Err);
        Assert.True(erased.Code == 0, erased.Err);

        Assert.False(File.Exists(alphaRecording.Path));
        Assert.Equal(0, await rig.CountAsync("select count(*) from data_keys where id = any($1)", new[] { alphaRecording.KeyId, alphaTranscript }));
        Assert.Equal(0, await rig.CountAsync("select count(*) from call_attributions where call_id = $1", alphaCall));
        Assert.Equal(1, await rig.CountAsync("select count(*) from calls where id = $1 and caller_number is null and deleted_at is not null and deleted_by = 'cli'", alphaCall));
        Assert.Equal(1, await rig.CountAsync("select count(*) from data_removals where call_id = $1 and reason = 'subject-erasure'", alphaCall));

        Assert.True(File.Exists(betaRecording.Path));
        Assert.True(File.Exists(alphaOtherRecording.Path));
        Assert.Equal(2, await rig.CountAsync("select count(*) from data_keys where id = any($1)", new[] { betaRecording.KeyId, alphaOtherRecording.KeyId }));
        Assert.Equal(1, await rig.CountAsync("select count(*) from calls where id = $1 and caller_number = $2", betaCall, Subject));
        Assert.Equal(betaRecording.Ogg, await rig.Recordings.ReadAllAsync(betaRecording.Path, CancellationToken.None));

        var after = await rig.CliAsync("subject", "find", Subject);
        Assert.Contains("1 calls from", after.Out, StringComparison.Ordinal);
        Assert.Contains(betaCall.ToString(), after.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotating_the_master_key_rewraps_every_data_key_and_everything_stays_readable()
    {
        var directory = TestDirectory.Create();
        await using var rig = await PrivacyRig.CreateAsync(server, directory);
        var organisation = await rig.OrganisationAsync("Rotate");
        var recordings = new List<(string Path, Guid KeyId, byte[] Ogg)>();
        for (var i = 0; i < 3; i++)
        {
            var call = await rig.CallAsync(organisation, "+15550001000", DateTimeOffset.UtcNow.AddMinutes(-i));
            recordings.Add(await rig.RecordingAsync(call));
            await rig.TranscriptAsync(call, "rotate me");
        }

        var before = File.ReadAllBytes(recordings[0].Path);
        var oldId = rig.Ring.Current.Id;
        var rotated = await rig.CliAsync("keys", "rotate-master");
        output.WriteLine(rotated.Out + rotated.Err);
        Assert.True(rotated.Code == 0, rotated.Err);
        Assert.Contains("6 data keys re-wrapped", rotated.Out, StringComparison.Ordinal);
        Assert.Contains("re-wrapping data keys [", rotated.Out, StringComparison.Ordinal);

        // The audio was not touched; the new key file is private; the old key is gone from it.
        Assert.Equal(before, File.ReadAllBytes(recordings[0].Path));
        Assert.False(File.Exists(MasterKeyFile.NextPath(rig.MasterKeyPath)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(rig.MasterKeyPath));
        using var ring = MasterKeyFile.LoadOrCreate(rig.MasterKeyPath);
        Assert.NotEqual(oldId, ring.Current.Id);
        Assert.Equal(6, await rig.CountAsync("select count(*) from data_keys where master_key_id = $1", ring.Current.Id));
        var reader = new RecordingReader(new DataKeyStore(rig.DataSource, ring));
        foreach (var recording in recordings)
        {
            Assert.Equal(recording.Ogg, await reader.ReadAllAsync(recording.Path, CancellationToken.None));
        }

        // The key the database held before rotation no longer opens anything: the old master key is not held.
        await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(() => rig.Keys.GetAsync(recordings[0].KeyId, CancellationToken.None));
    }

    [Fact]
    public async Task Organisation_export_holds_everything_it_owns_and_delete_removes_it_and_nothing_else()
    {
        var directory = TestDirectory.Create();
        await using var rig = await PrivacyRig.CreateAsync(server, directory);
        var leaving = await rig.OrganisationAsync("Leaving");
        var staying = await rig.OrganisationAsync("Staying");
        var campaign = await rig.CampaignAsync(leaving, "Spring");
        var leavingCall = await rig.CallAsync(leaving, "+15550002000", DateTimeOffset.UtcNow.AddHours(-1), campaign);
        var stayingCall = await rig.CallAsync(staying, "+15550002000", DateTimeOffset.UtcNow.AddHours(-1));
        var leavingRecording = await rig.RecordingAsync(leavingCall);
        var leavingTranscript = await rig.TranscriptAsync(leavingCall, "goodbye");
        var stayingRecording = await rig.RecordingAsync(stayingCall);

        var archive = directory.File("org.zip");
        var exported = await rig.CliAsync("org", "export", "Leaving", "--output", archive);
        Assert.True(exported.Code == 0, exported.Err);
        using (var zip = ZipFile.OpenRead(archive))
        {
            var owned = JsonNode.Parse(await ReadEntryAsync(zip, "organisation.json"))!;
            Assert.Equal("Spring", owned["campaigns"]![0]!["name"]!.GetValue<string>());
            Assert.Contains("goodbye", await ReadEntryAsync(zip, $"calls/{leavingCall}/transcript.json"), StringComparison.Ordinal);
            using var audio = new MemoryStream();
            await zip.GetEntry($"calls/{leavingCall}/recording-1.opus")!.Open().CopyToAsync(audio);
            Assert.Equal(leavingRecording.Ogg, audio.ToArray());
            Assert.Null(zip.Entries.FirstOrDefault(e => e.FullName.Contains(stayingCall.ToString(), StringComparison.Ordinal)));
        }

        var unconfirmed = await rig.CliAsync("org", "delete", "Leaving", "--confirm", "Staying");
        Assert.Equal(2, unconfirmed.Code);
        Assert.Equal(1, await rig.CountAsync("select count(*) from organisations where id = $1", leaving));

        var deleted = await rig.CliAsync("org", "delete", "Leaving", "--confirm", "Leaving");
        output.WriteLine(deleted.Out + deleted.Err);
        Assert.True(deleted.Code == 0, deleted.Err);
        Assert.Equal(0, await rig.CountAsync("select count(*) from organisations where id = $1", leaving));
        Assert.Equal(0, await rig.CountAsync("select count(*) from calls where organisation_id = $1", leaving));
        Assert.Equal(0, await rig.CountAsync("select count(*) from campaigns where organisation_id = $1", leaving));
        Assert.Equal(0, await rig.CountAsync("select count(*) from data_keys where id = any($1)", new[] { leavingRecording.KeyId, leavingTranscript }));
        Assert.False(File.Exists(leavingRecording.Path));

        Assert.True(File.Exists(stayingRecording.Path));
        Assert.Equal(1, await rig.CountAsync("select count(*) from calls where id = $1", stayingCall));
        Assert.Equal(stayingRecording.Ogg, await rig.Recordings.ReadAllAsync(stayingRecording.Path, CancellationToken.None));
    }

    [Fact]
    public async Task A_master_key_file_others_can_read_stops_the_command_with_what_to_do()
    {
        var directory = TestDirectory.Create();
        await using var rig = await PrivacyRig.CreateAsync(server, directory);
        File.SetUnixFileMode(rig.MasterKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var result = await rig.CliAsync("subject", "find", Subject);
        Assert.Equal(69, result.Code);
        Assert.Contains($"chmod 600 {rig.MasterKeyPath}", result.Err, StringComparison.Ordinal);
    }

    private static RetentionSweeper Sweeper(PrivacyRig rig, TimeProvider time) => new(
        new DataDeletion(rig.DataSource, rig.DataPath, new AuditTrail(rig.DataSource, time), time),
        rig.DataSource,
        new RetentionOptions(TimeSpan.FromMinutes(10), BatchSize: 2),
        time,
        NullLogger<RetentionSweeper>.Instance);

    private static async Task<string> ReadEntryAsync(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)?.Open() ?? throw new Xunit.Sdk.XunitException($"{name} is not in the archive"));
        return await reader.ReadToEndAsync();
    }
}
